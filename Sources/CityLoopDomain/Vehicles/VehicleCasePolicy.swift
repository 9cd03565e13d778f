import Foundation

/// Which vehicle events become cases (车辆事件转案件): suspected dumping (疑似偷倒) goes to the grid's inspector to
/// verify on site, as a case of piled-up muck (积存垃圾渣土, 06011) where the truck unloaded; the other events count
/// against the vehicle and its company and file no case.
public struct VehicleCasePolicy: Hashable, Codable, Sendable {
    /// The event kind.
    public var kind: VehicleEvent.Kind
    /// The matter the case is filed under.
    public var matterCode: String
    /// The urgency of the case.
    public var urgency: Urgency
    /// Whether the inspector verifies before filing (核实后立案); otherwise the case is filed at once.
    public var verifyFirst: Bool

    /// The policies in force by default.
    public static let defaults = [VehicleCasePolicy(kind: .dumpingSuspected, matterCode: "06011", urgency: .normal, verifyFirst: true)]

    /// The policy for an event kind, if its events become cases.
    public static func policy(for kind: VehicleEvent.Kind, in policies: [VehicleCasePolicy] = defaults) -> VehicleCasePolicy? {
        policies.first { $0.kind == kind }
    }

    /// The case's description: what happened, the vehicle and when it was last seen loaded, in Chinese and English.
    public static func description(of event: VehicleEvent, vehicle: Vehicle?) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        let plate = vehicle?.plate ?? event.vehicleID.rawValue
        var text = "车辆 \(plate) 疑似偷倒：在消纳场外由重车变空车，\(f.string(from: event.time))"
        if let loaded = event.lastLoadedAt { text += "（最后重车 \(f.string(from: loaded))）" }
        text += " (vehicle \(plate) suspected of dumping: loaded to empty outside any disposal site)"
        return text
    }
}
