import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Registers or replaces drivers.
    public func saveDrivers(_ drivers: [Driver]) async throws {
        let rows = try drivers.map { ($0.id.rawValue, $0.companyID?.rawValue, try json($0)) }
        try await pool.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO drivers (id, company_id, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET company_id = excluded.company_id, data = excluded.data")
            for (id, company, text) in rows { try statement.execute(arguments: [id, company, text]) }
        }
    }

    /// Drivers in ID order (of a company).
    public func drivers(companyID: DepartmentID?) async throws -> [Driver] {
        let texts = try await pool.read { db in
            if let companyID {
                return try String.fetchAll(db, sql: "SELECT data FROM drivers WHERE company_id = ? ORDER BY id", arguments: [companyID.rawValue])
            }
            return try String.fetchAll(db, sql: "SELECT data FROM drivers ORDER BY id")
        }
        return try texts.map { try decode(Driver.self, $0) }
    }

    /// The driver with this ID.
    public func driver(id: DriverID) async throws -> Driver? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM drivers WHERE id = ?", arguments: [id.rawValue]) }
            .map { try decode(Driver.self, $0) }
    }
}
