import CityLoopDomain
import Foundation

/// Vehicle events into the case workflow (车辆事件转案件): an event whose policy wants a case (suspected dumping)
/// gets one where it happened, waiting for the grid's inspector to verify, with the truck's track around it as
/// evidence. Idempotent: the case's request ID is the event's (vehicle and time), so handling it again (another
/// pass, another node) finds the same case.
public struct VehicleEventCases: Sendable {
    let platform: Platform
    /// The policies by event kind.
    public let policies: [VehicleCasePolicy]

    /// Creates the service of `platform` with the default policies.
    public init(platform: Platform, policies: [VehicleCasePolicy] = VehicleCasePolicy.defaults) {
        self.platform = platform
        self.policies = policies
    }

    /// Handles the events of the last day again (the leader's periodic pass): a case that could not be made when its
    /// event was stored is made now; one made already is found by its request ID. Returns the cases, and the events
    /// whose case cannot be made with why (a truck that unloaded outside the city's grids).
    @discardableResult
    public func sweep() async throws -> (cases: [CaseID], failed: [(event: VehicleEvent, error: any Error)]) {
        let since = platform.clock.now().addingTimeInterval(-86_400)
        let recent = try await platform.store.vehicleEvents(vehicleID: nil, before: nil, limit: 1000).map(\.event)
            .filter { $0.time >= since && VehicleCasePolicy.policy(for: $0.kind, in: policies) != nil }
        var cases: [CaseID] = []
        var failed: [(VehicleEvent, any Error)] = []
        for event in recent.reversed() {
            do { cases += try await handle([event]) } catch { failed.append((event, error)) }
        }
        return (cases, failed)
    }

    /// Opens the cases of `events`; returns those opened or found (by event time order).
    @discardableResult
    public func handle(_ events: [VehicleEvent]) async throws -> [CaseID] {
        var out: [CaseID] = []
        for event in events {
            guard let policy = VehicleCasePolicy.policy(for: event.kind, in: policies), let point = event.point else { continue }
            let vehicle = try await platform.store.vehicle(id: event.vehicleID)
            let from = (event.lastLoadedAt ?? event.time).addingTimeInterval(-600)
            let to = event.time.addingTimeInterval(60)
            let f = ISO8601DateFormatter()
            // The track segment around the unloading, as the console and the API replay it.
            let track = "/api/v1/vehicles/\(event.vehicleID.rawValue)/track?from=\(f.string(from: from))&to=\(f.string(from: to))"
            var input = ReportInput(
                matterCode: policy.matterCode, description: VehicleCasePolicy.description(of: event, vehicle: vehicle) + "\n轨迹 (track): \(track)",
                lat: point.lat, lon: point.lon, urgency: policy.urgency, source: .sensor)
            input.clientRequestID = "vehicle-\(event.vehicleID.rawValue)-\(Int64((event.time.timeIntervalSince1970 * 1000).rounded()))"
            let cases = CaseService(platform: platform)
            let created = try await cases.report(input, actor: .system, verifyFirst: policy.verifyFirst)
            if !policy.verifyFirst, created.case.state == .pendingFiling {
                _ = try await cases.act(.file, caseID: created.case.id, input: ActionInput(comment: "车辆事件自动立案 (filed on the vehicle's event)"), actor: .system)
            }
            out.append(created.case.id)
        }
        return out
    }
}
