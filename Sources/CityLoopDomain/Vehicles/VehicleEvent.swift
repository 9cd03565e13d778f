import Foundation

/// Something the vehicle rules found (监管事件), kept by the store as JSON and shown to operators. Fields that do
/// not apply to a kind are nil and left out of the JSON.
public struct VehicleEvent: Hashable, Codable, Sendable {
    /// What happened.
    public enum Kind: String, Hashable, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
        /// Entered a site (进场), after the dwell.
        case enteredSite
        /// Left a site (出场), after the dwell.
        case leftSite
        /// A muck truck inside a forbidden zone during its forbidden hours (闯禁行), once per visit.
        case forbiddenZone
        /// Off the permit's corridor for longer than allowed (偏离路线), once per excursion.
        case offRoute
        /// Above the speed limit for longer than allowed (超速), once per episode.
        case speeding
        /// Unloaded outside any disposal site (疑似偷倒).
        case dumpingSuspected
        /// A muck truck moving loaded outside sites with no valid permit (无证运输), once per trip.
        case unpermittedTrip
        /// A tampering alarm bit newly set (疑似破坏设备).
        case tampered
        /// Silent for longer than allowed (离线), once per silence.
        case offline
        /// Weighed (nearly) empty at a disposal site's weighbridge (到场空车): the load was left elsewhere.
        case weighedEmpty
        /// A sanitation vehicle drove less of its assigned roads in a shift than required (作业覆盖率不足), once per shift.
        case coverageShort

        /// The stable machine-readable code, e.g. `vehicle.dumping_suspected`.
        public var code: String {
            switch self {
            case .enteredSite: "vehicle.entered_site"
            case .leftSite: "vehicle.left_site"
            case .forbiddenZone: "vehicle.forbidden_zone"
            case .offRoute: "vehicle.off_route"
            case .speeding: "vehicle.speeding"
            case .dumpingSuspected: "vehicle.dumping_suspected"
            case .unpermittedTrip: "vehicle.unpermitted_trip"
            case .tampered: "vehicle.tampered"
            case .offline: "vehicle.offline"
            case .weighedEmpty: "vehicle.weighed_empty"
            case .coverageShort: "vehicle.coverage_short"
            }
        }
    }

    /// What happened.
    public var kind: Kind
    /// The vehicle.
    public var vehicleID: VehicleID
    /// The time of the fix that established it (for `offline`, the sweep's time). For `dumpingSuspected`, the
    /// first fix seen empty.
    public var time: Date
    /// Where: the fix that established it; the last known fix when that one had none (or for `offline`).
    public var point: GeoPoint?
    /// The site entered, left or trespassed.
    public var siteID: SiteID?
    /// The permit of the trip, when one was matched.
    public var permitID: PermitID?
    /// When the condition began: the first fix inside (or outside) for a site change, the start of an excursion or
    /// speeding run, the start of the trip for a trip event, the last report for `offline`.
    public var since: Date?
    /// For `dumpingSuspected`: the last fix the truck was seen loaded.
    public var lastLoadedAt: Date?
    /// The measured value: speed in km/h (`speeding`, `unpermittedTrip`), distance from the corridor in metres (`offRoute`),
    /// the net weight in kg (`weighedEmpty`), the driven share in per cent (`coverageShort`).
    public var measured: Double?
    /// The limit that value broke: km/h, metres, kg or per cent.
    public var limit: Double?
    /// For `tampered`: the tampering bits newly set.
    public var alarmBits: UInt32?
    /// The haulage company the vehicle belonged to when the event was raised: its credit is charged, and its notice
    /// lists it, even after the vehicle moves to another company. Nil for a vehicle without one.
    public var companyID: DepartmentID?
    /// The registered driver assigned to the vehicle when the event was raised (the driver's record); nil when none.
    public var driverID: DriverID?

    /// Creates an event.
    public init(
        kind: Kind, vehicleID: VehicleID, time: Date, point: GeoPoint?, siteID: SiteID? = nil, permitID: PermitID? = nil,
        since: Date? = nil, lastLoadedAt: Date? = nil, measured: Double? = nil, limit: Double? = nil, alarmBits: UInt32? = nil,
        companyID: DepartmentID? = nil, driverID: DriverID? = nil
    ) {
        self.kind = kind
        self.vehicleID = vehicleID
        self.time = time
        self.point = point
        self.siteID = siteID
        self.permitID = permitID
        self.since = since
        self.lastLoadedAt = lastLoadedAt
        self.measured = measured
        self.limit = limit
        self.alarmBits = alarmBits
        self.companyID = companyID
        self.driverID = driverID
    }

    /// The stable machine-readable code, e.g. `vehicle.dumping_suspected`.
    public var code: String { kind.code }
}
