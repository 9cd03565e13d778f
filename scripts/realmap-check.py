#!/usr/bin/env python3
"""Real-map check: turns real district boundaries into a CityLoop city and a set of test points.

Input: a GeoJSON FeatureCollection of districts as public boundary services export them (DataV / AMap style:
`adcode`, `name`, MultiPolygon geometry, coordinates in GCJ-02 unless `--crs wgs84`). The boundary data itself is
not part of CityLoop; point the script at a file you have.

Output folder:
  districts-gcj02.geojson  the districts alone, as given (for `cityloop import grids --crs gcj02` of areas first)
  city.geojson             the city, its districts (MultiPolygon, WGS84), streets and communities cut from a 3 km and a
                           1 km lattice, and unit grids of 100 m cut in CGCS2000 Gauss-Krüger metres (3° zone,
                           EPSG:4547 around 114° E) and exported to degrees, as a GIS team would build them
  points.csv               lat,lon,grid: random points and points a few centimetres from grid edges, each with
                           the grid shapely finds it in (empty when outside every grid; points closer than 1 mm
                           to an edge are left out: on the edge itself either neighbour is right)
  summary.json             counts and areas

Needs shapely and pyproj (PyPI). Usage:
  python3 scripts/realmap-check.py BOUNDARIES.json OUT_DIR [--districts 410102,410103,...] [--points 100000]
"""
import argparse
import csv
import json
import math
import os
import random
import time
import warnings

from pyproj import Transformer
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.ops import transform, unary_union
from shapely.strtree import STRtree

A = 6378245.0
EE = 0.00669342162296594323


def _out_of_china(lon, lat):
    return not (73.66 < lon < 135.05 and 3.86 < lat < 53.55)


def _tlat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _tlon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs_to_gcj(lon, lat):
    """The published WGS84 → GCJ-02 formula."""
    if _out_of_china(lon, lat):
        return lon, lat
    dlat = _tlat(lon - 105.0, lat - 35.0)
    dlon = _tlon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(radlat) ** 2
    sq = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sq) * math.pi)
    dlon = (dlon * 180.0) / (A / sq * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj_to_wgs(lon, lat):
    """GCJ-02 → WGS84 by iterating the forward formula (to well under a centimetre)."""
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs_to_gcj(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < 1e-10 and abs(dlat) < 1e-10:
            break
    return wlon, wlat


def rings(geom):
    """GeoJSON coordinates of a Polygon or MultiPolygon, rounded the way a GIS export writes them."""
    def ring(r):
        return [[round(x, 9), round(y, 9)] for x, y in r.coords]

    polys = [geom] if isinstance(geom, Polygon) else list(geom.geoms)
    parts = [[ring(p.exterior)] + [ring(h) for h in p.interiors] for p in polys if not p.is_empty]
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def polygonal(geom):
    """Only the areal parts of a clipping result (lines and points on shared edges dropped)."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]
    return MultiPolygon(parts) if parts else Polygon()


def feature(code, name, level, parent, geom):
    props = {"code": code, "name": name, "level": level}
    if parent:
        props["parent"] = parent
    return {"type": "Feature", "properties": props, "geometry": rings(geom)}


def main():
    # shapely 2 deprecates shapely.ops.transform, whose per-point function is what the GCJ-02 conversion needs.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    ap = argparse.ArgumentParser()
    ap.add_argument("boundaries")
    ap.add_argument("out")
    ap.add_argument("--districts", default="410102,410103,410104,410105,410106,410108")
    ap.add_argument("--crs", default="gcj02", choices=["gcj02", "wgs84"])
    ap.add_argument("--points", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=20261205)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    random.seed(args.seed)
    wanted = set(args.districts.split(","))
    source = json.load(open(args.boundaries, encoding="utf-8"))
    to_wgs = (lambda x, y, z=None: tuple(zip(*[gcj_to_wgs(a, b) for a, b in zip(x, y)]))) if args.crs == "gcj02" else (lambda x, y, z=None: (x, y))
    to_gk = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True).transform
    to_deg = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True).transform

    districts = []
    given = []
    for f in source["features"]:
        code = str(f["properties"]["adcode"])
        if code not in wanted:
            continue
        given.append({"type": "Feature", "properties": {"code": code, "name": f["properties"]["name"], "level": "district",
                                                         "parent": code[:4] + "00"}, "geometry": f["geometry"]})
        wgs = transform(to_wgs, shape(f["geometry"]))
        districts.append((code, f["properties"]["name"], transform(to_gk, wgs)))
    city_code = districts[0][0][:4] + "00"
    json.dump({"type": "FeatureCollection", "features": given}, open(os.path.join(args.out, "districts-gcj02.geojson"), "w"), ensure_ascii=False)

    started = time.time()
    features = [feature(city_code, "city", "city", None, transform(to_deg, unary_union([d[2] for d in districts])))]
    grid_cells = []  # (code, geometry in degrees)
    summary = {"districts": len(districts), "streets": 0, "communities": 0, "grids": 0, "areaKm2": 0.0}
    for dcode, dname, dgeom in districts:
        features.append(feature(dcode, dname, "district", city_code, transform(to_deg, dgeom)))
        summary["areaKm2"] += dgeom.area / 1e6
        minx, miny, maxx, maxy = dgeom.bounds
        street_seq = 0
        for sx in range(int(minx // 3000), int(maxx // 3000) + 1):
            for sy in range(int(maxy // 3000), int(miny // 3000) - 1, -1):
                sgeom = polygonal(dgeom.intersection(box(sx * 3000, sy * 3000, sx * 3000 + 3000, sy * 3000 + 3000)))
                if sgeom.is_empty or sgeom.area < 1:
                    continue
                street_seq += 1
                scode = dcode + f"{street_seq:03d}"
                features.append(feature(scode, f"{dname}{street_seq}街道", "street", dcode, transform(to_deg, sgeom)))
                summary["streets"] += 1
                comm_seq = 0
                for cx in range(sx * 3, sx * 3 + 3):
                    for cy in range(sy * 3 + 2, sy * 3 - 1, -1):
                        cgeom = polygonal(sgeom.intersection(box(cx * 1000, cy * 1000, cx * 1000 + 1000, cy * 1000 + 1000)))
                        if cgeom.is_empty or cgeom.area < 1:
                            continue
                        comm_seq += 1
                        ccode = scode + f"{comm_seq:03d}"
                        features.append(feature(ccode, f"{dname}{street_seq}街道{comm_seq}社区", "community", scode, transform(to_deg, cgeom)))
                        summary["communities"] += 1
                        g = 0
                        # Beijing's rule: west → east, north → south within a community.
                        for gy in range(cy * 10 + 9, cy * 10 - 1, -1):
                            for gx in range(cx * 10, cx * 10 + 10):
                                ggeom = polygonal(cgeom.intersection(box(gx * 100, gy * 100, gx * 100 + 100, gy * 100 + 100)))
                                if ggeom.is_empty or ggeom.area < 1:
                                    continue
                                g += 1
                                gcode = ccode + f"{g:03d}"
                                deg = transform(to_deg, ggeom)
                                features.append(feature(gcode, gcode, "grid", ccode, deg))
                                grid_cells.append((gcode, deg))
    summary["grids"] = len(grid_cells)
    summary["cutSeconds"] = round(time.time() - started, 1)
    with open(os.path.join(args.out, "city.geojson"), "w") as out:
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)

    # Points: half uniform over the districts' box, half a few centimetres off grid edges.
    tree = STRtree([g for _, g in grid_cells])
    codes = [c for c, _ in grid_cells]
    minx, miny, maxx, maxy = unary_union([g for _, g in grid_cells]).bounds
    pts = []
    while len(pts) < args.points // 2:
        pts.append((random.uniform(miny, maxy), random.uniform(minx, maxx)))
    while len(pts) < args.points:
        _, g = grid_cells[random.randrange(len(grid_cells))]
        ring = (g if isinstance(g, Polygon) else list(g.geoms)[0]).exterior
        p = ring.interpolate(random.random(), normalized=True)
        off = random.choice([-1, 1]) * random.uniform(0.02, 0.2) / 111_000  # 2–20 cm, in degrees
        pts.append((p.y + off * random.random(), p.x + off * random.random()))
    kept = 0
    with open(os.path.join(args.out, "points.csv"), "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["lat", "lon", "grid"])
        for lat, lon in pts:
            pt = Point(lon, lat)
            hits = [i for i in tree.query(pt) if grid_cells[i][1].covers(pt)]
            near = [i for i in tree.query(pt.buffer(1e-8)) if grid_cells[i][1].boundary.distance(pt) < 1e-8]
            if near:
                continue  # within ~1 mm of an edge: either neighbour is right
            w.writerow([repr(lat), repr(lon), codes[hits[0]] if hits else ""])
            kept += 1
    summary["points"] = kept
    json.dump(summary, open(os.path.join(args.out, "summary.json"), "w"), indent=1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
