import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Registers or replaces drivers.
    public func saveDrivers(_ drivers: [Driver]) async throws {
        guard !drivers.isEmpty else { return }
        let texts = try drivers.map { try json($0) }
        var sql = SQLBuilder()
        let ids = sql.bind(drivers.map(\.id.rawValue)), companies = sql.bind(NullableArray(drivers.map { $0.companyID?.rawValue }))
        let data = sql.bind(texts)
        _ = try await rows(
            sql.query(
                """
                INSERT INTO drivers (id, company_id, data) SELECT * FROM unnest(\(ids)::text[], \(companies)::text[], \(data)::text[])
                ON CONFLICT (id) DO UPDATE SET company_id = excluded.company_id, data = excluded.data
                """))
    }

    /// Drivers in ID order (of a company).
    public func drivers(companyID: DepartmentID?) async throws -> [Driver] {
        let found =
            if let companyID {
                try await rows("SELECT data FROM drivers WHERE company_id = \(companyID.rawValue) ORDER BY id")
            } else {
                try await rows("SELECT data FROM drivers ORDER BY id")
            }
        return try decodeAll(Driver.self, found)
    }

    /// The driver with this ID.
    public func driver(id: DriverID) async throws -> Driver? {
        try decodeAll(Driver.self, try await rows("SELECT data FROM drivers WHERE id = \(id.rawValue)")).first
    }
}
