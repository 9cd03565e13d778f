import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Writes a batch of new cases in one transaction, set by set: the stored request keys in one read, the numbers
    /// in one upsert per prefix, cases, reporters, events and ledger entries each in one `COPY`, the sums in one
    /// delta; then every case's nearby query in one. Throws when anything fails (the caller then writes them one by one).
    func createCases(_ batch: [PostgresNewCase]) async throws -> [CaseCreation] {
        try await transaction { conn in
            try await self.lockCaseWrites(on: conn)
            let keys = Array(Set(batch.compactMap(\.record.requestKey)))
            var stored: [String: CaseRecord] = [:]
            if !keys.isEmpty {
                for row in try await self.rows("SELECT request_key, data FROM cases WHERE request_key = ANY(\(keys)::text[])", on: conn) {
                    let (key, data) = try row.decode((String, String).self)
                    stored[key] = try self.decode(CaseRecord.self, data)
                }
            }
            // Which items create a case: the first of each request key not stored yet.
            enum Plan { case existing(String), created(Int) }
            var plans: [Plan] = []
            var creating: [PostgresNewCase] = []
            var firstOfKey: [String: Int] = [:]
            for new in batch {
                if let key = new.record.requestKey {
                    if stored[key] != nil {
                        plans.append(.existing(key))
                        continue
                    }
                    if let earlier = firstOfKey[key] {
                        plans.append(.created(earlier))
                        continue
                    }
                    firstOfKey[key] = creating.count
                }
                plans.append(.created(creating.count))
                creating.append(new)
            }
            let records = try await self.numbered(creating, on: conn)
            try await self.copy(records, into: "cases", columns: Self.copiedCaseColumns, on: conn) { out, c in
                Self.encodeCase(&out, c, json: self.json(c))
            }
            let reporters = records.flatMap { c in Set(c.reporters.compactMap { $0.userID?.rawValue }).sorted().map { (c.id.rawValue, $0) } }
            try await self.copy(reporters, into: "case_reporters", columns: ["case_id", "user_id"], on: conn) { out, r in
                out.text(r.0)
                out.text(r.1)
            }
            let events = creating.map(\.firstEvent)
            try await self.copy(events, into: "case_events", columns: ["case_id", "seq", "hash", "data"], on: conn) { out, e in
                out.text(e.caseID.rawValue)
                out.int(Int64(e.seq))
                out.text(e.hash)
                out.text(e.canonicalText)
            }
            try await self.appendLedger(events, on: conn)
            var sums = CaseDelta()
            for (c, e) in zip(records, events) { sums.add(created: c, events: [e]) }
            try await self.write(delta: sums, on: conn)
            let nearby = try await self.openCases(batch.map(\.nearby), on: conn)
            var out: [CaseCreation] = []
            for ((new, plan), found) in zip(zip(batch, plans), nearby) {
                switch plan {
                case .existing(let key): out.append(CaseCreation(record: stored[key]!, created: false, nearby: found))
                case .created(let i):
                    // A repeat of a request earlier in the batch finds the case that one created.
                    let isFirst = creating[i].record.id == new.record.id
                    out.append(CaseCreation(record: records[i], created: isFirst, nearby: found))
                }
            }
            return out
        }
    }

    /// The records with their numbers drawn: one upsert per prefix advances its daily sequence by the batch's
    /// cases of that prefix.
    private func numbered(_ creating: [PostgresNewCase], on conn: PostgresConnection) async throws -> [CaseRecord] {
        var counts: [String: Int] = [:]
        for new in creating { counts[new.numberPrefix, default: 0] += 1 }
        guard !counts.isEmpty else { return [] }
        let prefixes = counts.keys.sorted()
        var next: [String: Int] = [:]
        for row in try await rows(
            """
            INSERT INTO sequences AS s (key, value) SELECT * FROM unnest(\(prefixes)::text[], \(prefixes.map { Int64(counts[$0]!) })::int8[])
            ON CONFLICT (key) DO UPDATE SET value = s.value + excluded.value RETURNING key, value
            """, on: conn)
        {
            let (key, last) = try row.decode((String, Int).self)
            next[key] = last - counts[key]! + 1
        }
        return creating.map { new in
            var c = new.record
            let seq = next[new.numberPrefix]!
            next[new.numberPrefix] = seq + 1
            c.number = new.numberPrefix + String(zeroPadded: seq, width: 5)
            return c
        }
    }

    /// The open cases each query finds (none for nil), in one statement: a lateral join runs one backward index
    /// range per query and ~100 m cell (matter, cell, created_at: newest first, no sort), and the cells' rows are
    /// merged here, as the SQLite store does. A box over too many cells is searched by itself.
    func openCases(_ queries: [OpenCasesQuery?], on conn: PostgresConnection) async throws -> [[CaseSummary]] {
        var out = Array(repeating: [CaseSummary](), count: queries.count)
        var pairs: [(query: Int, cell: Int64)] = []
        for (i, q) in queries.enumerated() {
            guard let q else { continue }
            if let cells = DuplicateCell.cells(covering: q.box) {
                pairs += cells.map { (i, $0) }
            } else {
                out[i] = try await openCasesAnyCell(q, on: conn)
            }
        }
        guard !pairs.isEmpty else { return out }
        let qs = pairs.map { queries[$0.query]! }
        let rows = try await rows(
            """
            SELECT q.i, c.id, c.number, c.matter_code, c.state, c.lat, c.lon, c.created_at
            FROM unnest(\(pairs.map { Int64($0.query) })::int8[], \(qs.map(\.matterCode))::text[], \(pairs.map(\.cell))::int8[],
                \(qs.map { Self.boundMs($0.since) })::int8[], \(qs.map(\.box.minLat))::float8[], \(qs.map(\.box.maxLat))::float8[],
                \(qs.map(\.box.minLon))::float8[], \(qs.map(\.box.maxLon))::float8[], \(qs.map { Int64($0.limit) })::int8[])
                AS q(i, matter, cell, since, min_lat, max_lat, min_lon, max_lon, lim)
            CROSS JOIN LATERAL (
                SELECT id, number, matter_code, state, lat, lon, created_at FROM cases
                WHERE matter_code = q.matter AND cell = q.cell AND created_at >= q.since
                    AND lat BETWEEN q.min_lat AND q.max_lat AND lon BETWEEN q.min_lon AND q.max_lon AND state NOT IN \(unescaped: Self.terminalStatesSQL)
                ORDER BY created_at DESC LIMIT q.lim
            ) AS c
            """, on: conn)
        for row in rows {
            let (i, id, number, matter, state, lat, lon, created) = try row.decode((Int, String, String, String, String, Double, Double, Int64).self)
            guard let s = CaseState(rawValue: state) else { continue }
            out[i].append(
                CaseSummary(id: CaseID(id), number: number, matterCode: matter, state: s, point: GeoPoint(lat: lat, lon: lon), createdAt: Self.date(created)))
        }
        for (i, q) in queries.enumerated() where q != nil && out[i].count > 1 {
            out[i] = Array(out[i].sorted { ($0.createdAt, $0.id.rawValue) > ($1.createdAt, $1.id.rawValue) }.prefix(q!.limit))
        }
        return out
    }
}
