import CityLoopDomain
import Foundation

/// One change pushed to open consoles (实时推送): a case that was reported or moved, a report waiting to be
/// placed by hand, an early warning, a device's alarm raised or cleared, vehicles that moved, or a camera's detection
/// candidate opened, grown or decided. Carries no personal data.
public struct LiveEvent: Codable, Sendable, Hashable {
    /// `case`, `unplaced`, `alert`, `alarm`, `vehicles` or `candidate`.
    public var type: String
    /// The case (or the unplaced report).
    public var id: String
    /// The case number.
    public var number: String?
    /// The state after the change.
    public var state: CaseState?
    /// The state before it; nil for a new case.
    public var previousState: CaseState?
    /// The action taken (`report` for a new case).
    public var action: String?
    /// The matter class.
    public var matterCode: String?
    /// Where.
    public var gridCode: String?
    /// The street (街道).
    public var streetCode: String?
    /// The district (区).
    public var districtCode: String?
    /// The lead department.
    public var departmentID: String?
    /// The channel it came in by.
    public var source: CaseSource?
    /// When it was reported.
    public var createdAt: Date?
    /// Latitude.
    public var lat: Double?
    /// Longitude.
    public var lon: Double?
    /// The running step's deadline.
    public var stepDueAt: Date?
    /// For `vehicles`: the latest position of each vehicle that reported since the previous such event.
    public var positions: [VehiclePosition]?
    /// For `candidate`: where it stands (`pending`, `accepted`, `rejected`, `merged`, `auto_filed`).
    public var status: String?
    /// For `candidate`: what the camera detected.
    public var detectionType: DetectionType?
    /// For `candidate`: the camera.
    public var camera: String?
    /// For `candidate`: the zone of the camera's picture, nil when the camera has none.
    public var zone: String?
    /// For `candidate`: whether it is a sampled below-threshold candidate (抽样).
    public var sampled: Bool?
    /// For `candidate`: how many detections it holds.
    public var count: Int?
    /// For `candidate`: the highest score among them.
    public var score: Double?
    /// For `candidate`: the latest detection's time.
    public var lastSeen: Date?
    /// For `candidate`: the case it was filed as or merged into.
    public var caseID: String?
    /// When the change happened.
    public var at: Date

    /// The event for a case after a change.
    public init(case c: CaseRecord, previous: CaseState?, action: String, at: Date) {
        type = "case"
        id = c.id.rawValue
        number = c.number
        state = c.state
        previousState = previous
        self.action = action
        matterCode = c.matterCode
        gridCode = c.placement.gridCode
        streetCode = c.placement.streetCode
        districtCode = c.placement.districtCode
        departmentID = c.leadDepartmentID?.rawValue
        source = c.source
        createdAt = c.createdAt
        lat = c.point.lat
        lon = c.point.lon
        stepDueAt = c.stepDueAt
        self.at = at
    }

    /// The event of a new early warning (`type` "alert", `action` its severity) for a class in an area (a district
    /// or street code; nil for the city).
    public init(alert id: String, severity: String, matterCode: String, areaCode: String?, at: Date) {
        type = "alert"
        self.id = id
        action = severity
        self.matterCode = matterCode
        districtCode = areaCode.map { String($0.prefix(6)) }
        streetCode = areaCode.flatMap { $0.count >= 9 ? String($0.prefix(9)) : nil }
        self.at = at
    }

    /// The event of a device's alarm raised, acknowledged or cleared (`type` "alarm", `action` "raised",
    /// "acknowledged" or "cleared" — by default told by whether it is up —, `matterCode` the alarm type, `number` its
    /// severity), placed on the device's grid.
    public init(alarm: Alarm, device: Device?, action: String? = nil, at: Date) {
        type = "alarm"
        id = alarm.id
        self.action = action ?? (alarm.active ? "raised" : "cleared")
        number = alarm.severity.rawValue
        matterCode = alarm.type
        gridCode = device?.gridCode
        districtCode = device?.gridCode.map { String($0.prefix(6)) }
        streetCode = device?.gridCode.map { String($0.prefix(9)) }
        lat = device?.point.lat
        lon = device?.point.lon
        self.at = at
    }

    /// The event of vehicles that moved (`type` "vehicles"): their latest positions.
    public init(vehicles positions: [VehiclePosition], at: Date) {
        type = "vehicles"
        id = "fleet"
        self.positions = positions
        self.at = at
    }

    /// The event for a report queued for manual placing (`placed` false), or placed and filed as `caseNumber`.
    public init(unplaced id: String, placed: Bool = false, caseNumber: String? = nil, at: Date) {
        type = "unplaced"
        self.id = id
        self.action = placed ? "placed" : "queued"
        self.number = caseNumber
        self.at = at
    }
}

/// A published event with the case it is about, so each subscriber can decide whether its account may see it.
public struct LiveItem: Codable, Sendable {
    /// The event sent to the browser.
    public var event: LiveEvent
    /// The case after the change, for scoping; nil for events that are not about one case.
    public var record: CaseRecord?

    /// Creates an item.
    public init(event: LiveEvent, record: CaseRecord?) {
        self.event = event
        self.record = record
    }
}

/// Fans changes out to the consoles connected to this node (server-sent events). A slow subscriber keeps only
/// the newest events; publishing never waits. With several nodes, what is published here also goes to the other
/// nodes (the change bus), whose feeds show it to their consoles.
public final class LiveFeed: Sendable {
    private let subscribers = LockedBox<[UUID: AsyncStream<LiveItem>.Continuation]>([:])
    private let forward = LockedBox<(@Sendable (LiveItem) -> Void)?>(nil)

    /// Sends every item published here on to other nodes too.
    func forward(to send: @escaping @Sendable (LiveItem) -> Void) { forward.value = send }

    /// Creates an empty feed.
    public init() {}

    /// A stream of every item published from now on, until `cancel` is called or the stream is dropped.
    public func subscribe(buffer: Int = 1000) -> (stream: AsyncStream<LiveItem>, cancel: @Sendable () -> Void) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<LiveItem>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        subscribers.withValue { $0[id] = continuation }
        let cancel: @Sendable () -> Void = { [subscribers] in
            let c = subscribers.withValue { $0.removeValue(forKey: id) }
            c?.finish()
        }
        continuation.onTermination = { _ in cancel() }
        return (stream, cancel)
    }

    /// Sends an item to every subscriber, here and on the other nodes.
    public func publish(_ item: LiveItem) {
        publishHere(item)
        forward.value?(item)
    }

    /// Sends an item to this node's subscribers only (an item from another node).
    public func publishHere(_ item: LiveItem) {
        for c in subscribers.value.values { c.yield(item) }
    }

    /// How many consoles are connected.
    public var subscriberCount: Int { subscribers.value.count }

    private let vehicleWatchers = LockedBox(0)

    /// Counts a console that asked for vehicles (the fleet map) until the returned function is called.
    public func watchVehicles() -> @Sendable () -> Void {
        vehicleWatchers.withValue { $0 += 1 }
        let done = LockedBox(false)
        return { [vehicleWatchers] in
            // Once, however often it is called.
            guard done.withValue({ let was = $0; $0 = true; return !was }) else { return }
            vehicleWatchers.withValue { $0 -= 1 }
        }
    }

    /// How many consoles asked for vehicles.
    public var vehicleWatcherCount: Int { vehicleWatchers.value }
}
