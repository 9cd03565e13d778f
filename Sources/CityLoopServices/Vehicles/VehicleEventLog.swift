import CityLoopDomain
import Foundation

/// Reading the vehicle event log by vehicle and time, for the companies' credit and notices.
public enum VehicleEventLog {
    /// The company of each vehicle that has one.
    public static func companies(_ store: any CityStore) async throws -> [VehicleID: DepartmentID] {
        var out: [VehicleID: DepartmentID] = [:]
        var after: VehicleID?
        while true {
            let page = try await store.vehicles(after: after, limit: 5000)
            for v in page { if let c = v.companyID { out[v.id] = c } }
            guard page.count == 5000, let last = page.last else { return out }
            after = last.id
        }
    }

    /// The events of `kinds` with event times in [`from`, `to`), of one company's vehicles when given (the company
    /// each vehicle belonged to when it raised them), newest first; at most `limit`. Read by time a page at a time.
    public static func events(
        _ store: any CityStore, companyID: DepartmentID?, from: Date, to: Date, kinds: Set<VehicleEvent.Kind>, limit: Int = .max
    ) async throws -> [StoredVehicleEvent] {
        var out: [StoredVehicleEvent] = []
        var after: StoredVehicleEvent?
        while true {
            let page = try await store.vehicleEvents(companyID: companyID, from: from, to: to, after: after, limit: 5000)
            out += page.filter { kinds.contains($0.event.kind) }
            guard page.count == 5000, let last = page.last else { break }
            after = last
        }
        return Array(out.reversed().prefix(limit))
    }
}
