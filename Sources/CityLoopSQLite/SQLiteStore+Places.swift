import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Replaces the place table.
    public func replacePlaces(_ places: [Place]) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM places")
            let insert = try db.cachedStatement(sql: "INSERT INTO places (name, address, lat, lon) VALUES (?, ?, ?, ?)")
            for p in places { try insert.execute(arguments: [p.name, p.address, p.point.lat, p.point.lon]) }
        }
    }

    /// The place table, in the order it was stored.
    public func places() async throws -> [Place] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, address, lat, lon FROM places ORDER BY id").map {
                Place(name: $0[0], address: $0[1], point: GeoPoint(lat: $0[2], lon: $0[3]))
            }
        }
    }

    /// Queues a report to be placed by hand, once per key.
    public func enqueueUnplaced(_ report: UnplacedReport) async throws -> UnplacedReport {
        let data = try json(report)
        return try await pool.write { db in
            if let key = report.key, let text = try String.fetchOne(db, sql: "SELECT data FROM unplaced_reports WHERE key = ?", arguments: [key]) {
                return try self.decode(UnplacedReport.self, text)
            }
            try db.execute(
                sql: "INSERT INTO unplaced_reports (id, key, received_at, placed, data) VALUES (?, ?, ?, 0, ?)",
                arguments: [report.id, report.key, Self.ms(report.receivedAt), data])
            return report
        }
    }

    /// A queued report.
    public func unplacedReport(id: String) async throws -> UnplacedReport? {
        try await all("SELECT data FROM unplaced_reports WHERE id = ?", UnplacedReport.self, [id]).first
    }

    /// Reports still waiting, oldest first.
    public func pendingUnplaced(limit: Int) async throws -> [UnplacedReport] {
        try await all("SELECT data FROM unplaced_reports WHERE placed = 0 ORDER BY received_at, id LIMIT \(max(1, limit))", UnplacedReport.self)
    }

    /// Marks a queued report placed.
    public func markPlaced(id: String, caseNumber: String, by: UserID, at: Date) async throws {
        try await pool.write { db in
            guard let text = try String.fetchOne(db, sql: "SELECT data FROM unplaced_reports WHERE id = ?", arguments: [id]) else {
                throw UnplacedReport.notFound(id)
            }
            var r = try self.decode(UnplacedReport.self, text)
            guard r.caseNumber == nil else {
                throw DomainError(.conflict, code: "unplaced.placed", "report \(id) was placed already as case \(r.caseNumber ?? "")")
            }
            r.caseNumber = caseNumber
            r.placedBy = by
            r.placedAt = at
            try db.execute(sql: "UPDATE unplaced_reports SET placed = 1, data = ? WHERE id = ?", arguments: [try self.json(r), id])
        }
    }
}
