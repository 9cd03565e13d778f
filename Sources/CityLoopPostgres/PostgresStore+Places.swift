import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Replaces the place table.
    public func replacePlaces(_ places: [Place]) async throws {
        try await transaction { c in
            try await self.run("DELETE FROM places", on: c)
            for start in stride(from: 0, to: places.count, by: 10000) {
                let slice = places[start..<min(start + 10000, places.count)]
                try await self.run(
                    """
                    INSERT INTO places (name, address, lat, lon)
                    SELECT name, address, lat, lon FROM unnest(\(slice.map(\.name))::text[], \(slice.map(\.address))::text[],
                        \(slice.map(\.point.lat))::float8[], \(slice.map(\.point.lon))::float8[]) WITH ORDINALITY AS p(name, address, lat, lon, n)
                    ORDER BY n
                    """, on: c)
            }
        }
    }

    /// The place table, in the order it was stored.
    public func places() async throws -> [Place] {
        try await rows("SELECT name, address, lat, lon FROM places ORDER BY id").map { r in
            let (name, address, lat, lon) = try r.decode((String, String, Double, Double).self)
            return Place(name: name, address: address, point: GeoPoint(lat: lat, lon: lon))
        }
    }

    /// Queues a report to be placed by hand, once per key.
    public func enqueueUnplaced(_ report: UnplacedReport) async throws -> UnplacedReport {
        let data = try json(report)
        return try await transaction { c in
            let inserted = try await self.rows(
                """
                INSERT INTO unplaced_reports (id, key, received_at, placed, data)
                VALUES (\(report.id), \(report.key), \(Self.ms(report.receivedAt)), false, \(data))
                ON CONFLICT (key) DO NOTHING RETURNING id
                """, on: c)
            if !inserted.isEmpty { return report }
            guard let key = report.key,
                let text = try await self.rows("SELECT data FROM unplaced_reports WHERE key = \(key)", on: c).first?.decode(String.self)
            else { return report }
            return try self.decode(UnplacedReport.self, text)
        }
    }

    /// A queued report.
    public func unplacedReport(id: String) async throws -> UnplacedReport? {
        try decodeAll(UnplacedReport.self, try await rows("SELECT data FROM unplaced_reports WHERE id = \(id)")).first
    }

    /// Reports still waiting, oldest first.
    public func pendingUnplaced(limit: Int) async throws -> [UnplacedReport] {
        try decodeAll(
            UnplacedReport.self,
            try await rows("SELECT data FROM unplaced_reports WHERE NOT placed ORDER BY received_at, id LIMIT \(max(1, limit))"))
    }

    /// Marks a queued report placed (the row locked, so two operators cannot both place it).
    public func markPlaced(id: String, caseNumber: String, by: UserID, at: Date) async throws {
        try await transaction { c in
            guard let text = try await self.rows("SELECT data FROM unplaced_reports WHERE id = \(id) FOR UPDATE", on: c).first?.decode(String.self) else {
                throw UnplacedReport.notFound(id)
            }
            var r = try self.decode(UnplacedReport.self, text)
            guard r.caseNumber == nil else {
                throw DomainError(.conflict, code: "unplaced.placed", "report \(id) was placed already as case \(r.caseNumber ?? "")")
            }
            r.caseNumber = caseNumber
            r.placedBy = by
            r.placedAt = at
            try await self.run("UPDATE unplaced_reports SET placed = true, data = \(try self.json(r)) WHERE id = \(id)", on: c)
        }
    }
}
