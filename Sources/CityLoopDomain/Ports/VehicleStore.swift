import Foundation

/// One batch of vehicle positions with what the rules made of them, stored in one transaction: a position that was
/// acknowledged to its terminal is never lost, and a restart finds each tracker where its positions left it.
public struct VehicleIngestBatch: Hashable, Sendable {
    /// Positions received, late and out-of-order ones included; one per (vehicle, time) is kept, a repeat is skipped.
    public var positions: [VehiclePosition] = []
    /// The trackers the positions moved.
    public var trackers: [VehicleID: VehicleTracker] = [:]
    /// Events the rules raised.
    public var events: [VehicleEvent] = []
    /// Trips the positions finished (kept for the trips' history and the weighbridge tickets).
    public var trips: [StoredVehicleTrip] = []
    /// Written with the trackers: the node that keeps them in memory knows them for its own by it.
    public var trackerToken: Int64 = 0

    /// An empty batch.
    public init() {}
}

/// A stored vehicle event with its position in the event log.
public struct StoredVehicleEvent: Hashable, Codable, Sendable {
    /// The event's position in the log (ascending).
    public var seq: Int64
    /// The event.
    public var event: VehicleEvent

    /// Creates a stored event.
    public init(seq: Int64, event: VehicleEvent) {
        self.seq = seq
        self.event = event
    }
}

/// How many events of a kind one company's vehicles raised in a period (the contractors' credit counts them), by the
/// company each vehicle belonged to when it raised them.
public struct VehicleEventCount: Hashable, Codable, Sendable {
    /// The company (`VehicleEvent.companyID`).
    public var companyID: DepartmentID
    /// The kind of event.
    public var kind: VehicleEvent.Kind
    /// How many.
    public var count: Int

    /// Creates a count.
    public init(companyID: DepartmentID, kind: VehicleEvent.Kind, count: Int) {
        self.companyID = companyID
        self.kind = kind
        self.count = count
    }

    /// The kind whose stored code is `code`.
    public static func kind(code: String) -> VehicleEvent.Kind? { VehicleEvent.Kind.allCases.first { $0.code == code } }
}

/// The fleet registry, sites and permits, positions (tracks), trackers and vehicle events (车辆监管). One conformance
/// suite runs on every store.
public protocol VehicleStore: Sendable {
    /// Registers vehicles, or replaces the stored ones with the same ID; a terminal phone belongs to one vehicle.
    func saveVehicles(_ vehicles: [Vehicle]) async throws
    /// Registers drivers, or replaces the stored ones with the same ID.
    func saveDrivers(_ drivers: [Driver]) async throws
    /// The drivers in ID order, of one company when given.
    func drivers(companyID: DepartmentID?) async throws -> [Driver]
    /// The driver with this ID.
    func driver(id: DriverID) async throws -> Driver?
    /// The vehicle with this ID.
    func vehicle(id: VehicleID) async throws -> Vehicle?
    /// The vehicle whose terminal has this phone number.
    func vehicle(terminalPhone: String) async throws -> Vehicle?
    /// Vehicles in ID order after `after` (nil: from the first), at most `limit`.
    func vehicles(after: VehicleID?, limit: Int) async throws -> [Vehicle]
    /// Sets the SHA-256 (hex) of the authentication code (鉴权码) issued to a vehicle's terminal at registration.
    func setTerminalAuthCode(vehicleID: VehicleID, hash: String) async throws
    /// The SHA-256 (hex) of the authentication code issued to the vehicle's terminal, if one was.
    func terminalAuthCode(vehicleID: VehicleID) async throws -> String?
    /// Saves sites, replacing those with the same ID.
    func saveSites(_ sites: [Site]) async throws
    /// Removes a site; whether it existed.
    func deleteSite(id: SiteID) async throws -> Bool
    /// Every site, in ID order.
    func sites() async throws -> [Site]
    /// Saves transport permits, replacing those with the same ID.
    func savePermits(_ permits: [TransportPermit]) async throws
    /// Every permit (of one vehicle when given), in ID order.
    func permits(vehicleID: VehicleID?) async throws -> [TransportPermit]
    /// Removes a permit (revoked, or issued in error); whether it existed.
    func deletePermit(id: PermitID) async throws -> Bool
    /// The stored trackers of these vehicles.
    func trackers(vehicleIDs: [VehicleID]) async throws -> [VehicleID: VehicleTracker]
    /// The token each of these vehicles' stored trackers was written with.
    func trackerTokens(vehicleIDs: [VehicleID]) async throws -> [VehicleID: Int64]
    /// Writes one batch in one transaction; returns how many positions were new.
    func writeVehicleIngest(_ batch: VehicleIngestBatch) async throws -> Int
    /// A vehicle's positions from `from` up to (not including) `to`, oldest first, at most `limit`.
    func positions(vehicleID: VehicleID, from: Date, to: Date, limit: Int) async throws -> [VehiclePosition]
    /// The latest position of each vehicle that has one (the fleet map).
    func latestPositions() async throws -> [VehiclePosition]
    /// Vehicle events newest first (of one vehicle when given), before `before` (a log position; nil: the newest), at most `limit`.
    func vehicleEvents(vehicleID: VehicleID?, before: Int64?, limit: Int) async throws -> [StoredVehicleEvent]
    /// How many events of each kind each company's vehicles raised with event times in [`from`, `to`) (events without
    /// a company are not counted).
    func vehicleEventCounts(from: Date, to: Date) async throws -> [VehicleEventCount]
    /// Vehicle events with event times in [`from`, `to`), of one company's vehicles when `companyID` is given (the
    /// company of the event), oldest first by event time then log position, after `after` (the last event of the
    /// previous page), at most `limit`: a day or a month of a city's events read by time, not vehicle by vehicle.
    func vehicleEvents(companyID: DepartmentID?, from: Date, to: Date, after: StoredVehicleEvent?, limit: Int) async throws -> [StoredVehicleEvent]
    /// Downsamples a vehicle's history (轨迹抽稀): of its positions in [`from`, `before`), keeps the first of each
    /// `bucketSeconds` (counted from 1970) and removes the others; returns how many were removed.
    func downsamplePositions(vehicleID: VehicleID, from: Date, before: Date, bucketSeconds: Int) async throws -> Int
}

extension DomainError {
    /// A terminal phone number that is registered to another vehicle (409): one terminal, one vehicle.
    public static let terminalTaken = DomainError(
        .conflict, code: "vehicle.terminal_taken", "the terminal phone number is registered to another vehicle", field: "terminalPhone")
}
