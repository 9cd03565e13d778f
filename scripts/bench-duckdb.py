#!/usr/bin/env python3
"""The evaluation and analytics aggregations of `cityloop bench analytics`, run in DuckDB over the same data
exported to CSV and converted to Parquet. Prints one JSON object of median timings in milliseconds.

usage: bench-duckdb.py FOLDER MONTH_FIRST_DAY MONTH_LAST_DAY TODAY DISTRICT MAJOR_CLASS RUNS
(days are local day numbers, as `cityloop` counts them)"""
import json
import statistics
import sys
import time

import duckdb

folder, first, last, today, district, major, runs = sys.argv[1], *map(int, sys.argv[2:5]), sys.argv[5], sys.argv[6], int(sys.argv[7])
con = duckdb.connect()
out = {}

started = time.perf_counter()
con.execute(f"COPY (SELECT * FROM read_csv('{folder}/cases.csv', header=true, all_varchar=false, types={{'grid_code': 'VARCHAR', 'matter_code': 'VARCHAR'}})) TO '{folder}/cases.parquet' (FORMAT PARQUET)")
con.execute(f"COPY (SELECT * FROM read_csv('{folder}/facts.csv', header=true, types={{'user': 'VARCHAR', 'department': 'VARCHAR', 'grid_code': 'VARCHAR'}})) TO '{folder}/facts.parquet' (FORMAT PARQUET)")
out["convert_ms"] = (time.perf_counter() - started) * 1000

cases = f"read_parquet('{folder}/cases.parquet')"
facts = f"read_parquet('{folder}/facts.parquet')"
queries = {
    # The month's counters of every subject: the city, districts, streets, departments and people.
    "evaluation_month": f"""
        WITH f AS (SELECT * FROM {facts} WHERE day BETWEEN {first} AND {last})
        SELECT 0 AS kind, '' AS subject, counter, count(*) FROM f GROUP BY counter
        UNION ALL SELECT 1, substr(grid_code, 1, 6), counter, count(*) FROM f GROUP BY 2, 3
        UNION ALL SELECT 2, substr(grid_code, 1, 9), counter, count(*) FROM f GROUP BY 2, 3
        UNION ALL SELECT 3, department, counter, count(*) FROM f WHERE department IS NOT NULL AND department <> '' GROUP BY 2, 3
        UNION ALL SELECT 4, "user", counter, count(*) FROM f WHERE "user" IS NOT NULL AND "user" <> '' GROUP BY 2, 3""",
    "trend_city_90d": f"SELECT day, count(*) FROM {cases} WHERE day BETWEEN {today - 89 - 364} AND {today} GROUP BY day",
    "trend_district_class_365d": f"""SELECT day, count(*) FROM {cases}
        WHERE day BETWEEN {today - 364 - 364} AND {today} AND starts_with(grid_code, '{district}') AND starts_with(matter_code, '{major}') GROUP BY day""",
    "hotspots_30d": f"""SELECT grid_code, matter_code, count(*) AS n FROM {cases} WHERE day BETWEEN {today - 29} AND {today}
        GROUP BY grid_code, matter_code ORDER BY n DESC, grid_code, matter_code LIMIT 10""",
    "heat_30d": f"SELECT grid_code, count(*) FROM {cases} WHERE day BETWEEN {today - 29} AND {today} GROUP BY grid_code",
    "patterns_90d": f"""SELECT ((created_at // 1000 + 28800) // 86400 + 3) % 7, ((created_at // 1000 + 28800) % 86400) // 3600, count(*)
        FROM {cases} WHERE day BETWEEN {today - 89} AND {today} GROUP BY 1, 2""",
}
for name, sql in queries.items():
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        con.execute(sql).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    out[name] = statistics.median(times)
print(json.dumps(out))
