import CityLoopDomain
import Foundation

extension InMemoryStore {
    /// Registers or replaces drivers.
    public func saveDrivers(_ drivers: [Driver]) async throws {
        for d in drivers { fleet.drivers[d.id] = d }
    }

    /// Drivers in ID order (of a company).
    public func drivers(companyID: DepartmentID?) async throws -> [Driver] {
        fleet.drivers.values.filter { companyID == nil || $0.companyID == companyID }.sorted { $0.id.rawValue < $1.id.rawValue }
    }

    /// The driver with this ID.
    public func driver(id: DriverID) async throws -> Driver? { fleet.drivers[id] }
}
