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

    /// The events of `vehicles` of `kinds` with event times in [`from`, `to`), newest first. Each vehicle's log is
    /// walked newest stored first, a page at a time: a terminal's late upload stores old events after newer ones, so
    /// the walk goes on past events older than the period, at most 20 pages a vehicle.
    public static func events(
        _ store: any CityStore, vehicles: [VehicleID], from: Date, to: Date, kinds: Set<VehicleEvent.Kind>
    ) async throws -> [StoredVehicleEvent] {
        var out: [StoredVehicleEvent] = []
        for id in Set(vehicles).sorted() {
            var before: Int64?
            for _ in 0..<20 {
                let page = try await store.vehicleEvents(vehicleID: id, before: before, limit: 500)
                for e in page where e.event.time >= from && e.event.time < to && kinds.contains(e.event.kind) { out.append(e) }
                guard page.count == 500, let last = page.last else { break }
                before = last.seq
            }
        }
        return out.sorted { ($0.event.time, $0.seq) > ($1.event.time, $1.seq) }
    }
}
