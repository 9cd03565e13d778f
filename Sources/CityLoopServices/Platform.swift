import CityLoopDomain
import Foundation

/// The reference data the services work with, loaded from the store into memory: the city map with its
/// spatial index, the catalog, departments and the workflow policy. Replaced whole when an admin changes it.
public struct CityContext: Sendable {
    /// Areas, grids and the grid index.
    public var map: CityMap
    /// National catalog plus local extensions.
    public var catalog: Catalog
    /// Departments by ID.
    public var departments: [DepartmentID: Department]
    /// Calendar, step limits, responsibility list, automation flags.
    public var policy: WorkflowPolicy
    /// Duplicate detection.
    public var duplicates: DuplicatePolicy
    /// The place table (地名地址库), indexed for geocoding addresses.
    public var places: PlaceIndex
    /// When a report repeats a closed case (复发).
    public var recurrence: RecurrencePolicy
    /// What each alarm type does to the case workflow (告警转案件策略).
    public var alarmPolicies: [AlarmCasePolicy] = AlarmCasePolicy.defaults
    /// The device types in force by ID: the built-in ones, with the alarm rules an administrator set for them.
    public var deviceProfiles: [String: DeviceProfile] = DeviceProfile.inForce(DeviceProfile.builtIn, rules: [:])

    /// Settings keys in the store.
    public enum SettingKey {
        /// The working calendar (JSON).
        public static let calendar = "calendar"
        /// Step limits (JSON).
        public static let stepLimits = "step_limits"
        /// Duplicate policy (JSON).
        public static let duplicatePolicy = "duplicate_policy"
        /// Automation flags (JSON `WorkflowFlags`).
        public static let workflowFlags = "workflow_flags"
        /// Recurrence policy (JSON `RecurrencePolicy`).
        public static let recurrencePolicy = "recurrence_policy"
        /// The alarm-to-case policies (JSON array; absent: the defaults).
        public static let alarmPolicies = "alarm_policies"
        /// The demo city's seed and scale, when the database holds the demo.
        public static let demo = "demo"
        /// A device type's alarm rules as an administrator set them (JSON array; absent or null: the built-in ones).
        /// One key per type, so that two administrators changing two types never undo each other.
        public static func deviceRules(_ profileID: String) -> String { "device_rules.\(profileID)" }
    }

    /// Loads the context from a store.
    public static func load(from store: any ReferenceStore & SettingsStore & PlacementStore) async throws -> CityContext {
        let map = CityMap(areas: try await store.areas(), grids: try await store.grids())
        let catalog = try Catalog.national.adding(try await store.catalogExtensions())
        let departments = try await store.departments()
        let ids = Set(departments.map(\.id))
        let decoder = JSONDecoder()
        func setting<T: Decodable>(_ key: String, _ type: T.Type) async throws -> T? {
            guard let text = try await store.setting(key) else { return nil }
            return try decoder.decode(T.self, from: Data(text.utf8))
        }
        let flags = try await setting(SettingKey.workflowFlags, WorkflowFlags.self) ?? WorkflowFlags()
        let policy = WorkflowPolicy(
            calendar: try await setting(SettingKey.calendar, WorkingCalendar.self) ?? WorkingCalendar(),
            steps: try await setting(SettingKey.stepLimits, StepLimits.self) ?? StepLimits(),
            responsibilities: try ResponsibilityList(rules: try await store.rules()),
            departments: ids, autoDispatch: flags.autoDispatch, autoSendCheck: flags.autoSendCheck)
        var deviceRules: [String: [AlarmRule]] = [:]
        for profile in DeviceProfile.builtIn {
            if let set = try await setting(SettingKey.deviceRules(profile.id), [AlarmRule]?.self), let set { deviceRules[profile.id] = set }
        }
        return CityContext(
            map: map, catalog: catalog, departments: Dictionary(uniqueKeysWithValues: departments.map { ($0.id, $0) }),
            policy: policy, duplicates: try await setting(SettingKey.duplicatePolicy, DuplicatePolicy.self) ?? DuplicatePolicy(),
            places: PlaceIndex(try await store.places()),
            recurrence: try await setting(SettingKey.recurrencePolicy, RecurrencePolicy.self) ?? RecurrencePolicy(),
            alarmPolicies: try await setting(SettingKey.alarmPolicies, [AlarmCasePolicy].self) ?? AlarmCasePolicy.defaults,
            deviceProfiles: DeviceProfile.inForce(DeviceProfile.builtIn, rules: deviceRules))
    }
}

/// Which steps the platform takes by itself.
public struct WorkflowFlags: Hashable, Codable, Sendable {
    /// Dispatch filed cases from the responsibility list (自动派遣).
    public var autoDispatch: Bool
    /// Send handled cases for check at once (自动派发核查).
    public var autoSendCheck: Bool
    /// Creates flags.
    public init(autoDispatch: Bool = true, autoSendCheck: Bool = false) {
        self.autoDispatch = autoDispatch
        self.autoSendCheck = autoSendCheck
    }
}

/// Everything the services share: storage, media, clock, IDs, hashing, and the current reference context.
public final class Platform: Sendable {
    /// The store.
    public let store: any CityStore
    /// Evidence files.
    public let media: any MediaStore
    /// Delivers the notices queued with case changes to the reporters they are for.
    public let notices: NoticeDispatcher
    /// Records reads of reporters' personal data.
    public let audit: any PersonalDataAudit
    /// Signs and checks reporters' tracking codes.
    public let tracking: TrackingCodes
    /// The clock.
    public let clock: any CityClock
    /// The ID source.
    public let ids: any IDGenerator
    /// The event hasher.
    public let hasher: SHA256Hasher
    /// Password hashing.
    public let passwords: Passwords
    /// Which partner callback URLs may be called.
    public let callbacks: CallbackAddressPolicy
    /// Where the evaluation, analytics and screen queries go: a read replica that has caught up, else the store.
    public let reads: ReadRouter
    /// Changes pushed to open consoles.
    public let live = LiveFeed()
    /// This node among the nodes sharing the store (host, process and a random part): who holds a lease.
    public let nodeID: String
    /// The once-per-city tasks this node runs, and which of them it leads now.
    public let leadership: Leadership
    /// What changes here goes to the other nodes, and theirs comes here (`ChangeRelay.run` in `serve`).
    public let changes: ChangeRelay
    private let contextBox: LockedBox<CityContext>
    private let contextVersionBox = LockedBox(0)
    /// Recently authenticated tokens of this process.
    let tokenCache = TokenCache()
    /// This node's device ingest: every reading channel of the process hands its readings to it, one batch at a time.
    public let deviceIngest: DeviceIngest
    /// This node's vehicle position ingest: the JT/T 808 server and the positions endpoint hand their positions to it.
    public let vehicleIngest: VehicleIngest
    /// This node's detection intake: the detections endpoint and the MQTT subscriber hand cameras' detections to it.
    public let detectionIntake: DetectionIntake

    /// A name for this node: host, process and a random part (a restarted process is another node).
    static func makeNodeID() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Creates the platform and loads the reference context from the store; IDs are time-ordered UUIDs from
    /// `clock` unless `ids` is given; `replica` answers the evaluation, analytics and screen queries when it has caught
    /// up with `store` (which must then be its primary). `noticeLease` is how long a node keeps the notices it claimed (how long a dead
    /// node's notices wait for another).
    public init(
        store: any CityStore, media: any MediaStore, notifier: any ReporterNotifier = SilentNotifier(),
        audit: any PersonalDataAudit = NoPersonalDataAudit(), clock: any CityClock = SystemClock(), ids: (any IDGenerator)? = nil, passwords: Passwords = Passwords(),
        callbacks: CallbackAddressPolicy = .init(), noticeLease: TimeInterval = NoticeDispatcher.defaultLease,
        replica: (any ReadStore & ReplicationPosition)? = nil
    ) async throws {
        self.store = store
        reads = ReadRouter(primary: store, replica: replica)
        self.media = media
        let node = Self.makeNodeID()
        nodeID = node
        leadership = Leadership(store: store, node: node)
        let relay = ChangeRelay(bus: store as? any ChangeBus, node: node)
        changes = relay
        if relay.isShared {
            live.forward { item in relay.send(.live, payload: item.wireText) }
        }
        self.notices = NoticeDispatcher(store: store, notifier: CallbackRouter(fallback: notifier, policy: callbacks), clock: clock, node: node, lease: noticeLease)
        self.callbacks = callbacks
        self.audit = audit
        self.clock = clock
        self.ids = ids ?? UUIDGenerator(clock: clock)
        let contextBox = LockedBox(try await CityContext.load(from: store))
        self.contextBox = contextBox
        deviceIngest = DeviceIngest(store: store, clock: clock, ids: self.ids) { contextBox.value.deviceProfiles }
        vehicleIngest = VehicleIngest(store: store, clock: clock)
        detectionIntake = DetectionIntake(store: store, media: media, clock: clock, ids: self.ids, live: live)
        self.hasher = SHA256Hasher()
        self.passwords = passwords
        // Nodes starting at once on a new database agree on one secret.
        tracking = TrackingCodes(secret: try await store.saveSettingIfAbsent(TrackingCodes.settingKey, TrackingCodes.newSecret()))
        await vehicleIngest.onEvents { [weak self] events in
            guard let self else { return }
            // The events are stored already; a case that fails here is made by the leader's next sweep (VehicleEventCases.sweep).
            _ = try? await VehicleEventCases(platform: self).handle(events)
        }
        await detectionIntake.on(
            trusted: { [weak self] candidate, camera, policy in
                guard let self else { return }
                _ = try await DetectionCases(platform: self).autoFile(candidate, camera: camera, policy: policy)
            },
            grouped: { [weak self] detection, key, snapshot in
                guard let self else { return }
                try await CameraRechecks(platform: self).observe(detection, key: key, snapshot: snapshot)
            })
        await deviceIngest.onAlarms { [weak self] alarms, raised in
            guard let self else { return }
            try await AlarmCases(platform: self).handle(alarms, raised: raised)
        }
    }

    /// The current reference context.
    public var context: CityContext { contextBox.value }

    /// Reloads the reference context after reference data changed.
    public func reloadContext() async throws {
        try await refreshContext()
        changes.send(.reference)
    }

    /// Reloads the reference context without telling the other nodes (it was one of them that changed it).
    func refreshContext() async throws {
        contextBox.value = try await CityContext.load(from: store)
        contextVersionBox.withValue { $0 += 1 }
    }

    /// Applies another node's change notice here.
    public func apply(_ notice: ChangeNotice) async {
        switch notice.topic {
        case .reference:
            try? await refreshContext()
            tokenCache.removeAll()
        case .accounts:
            tokenCache.removeAll()
        case .live:
            guard let text = notice.payload, let item = LiveItem(wireText: text) else { return }
            live.publishHere(item)
        }
    }

    /// Grows by one each time the reference context is reloaded (for caches derived from it).
    public var contextVersion: Int { contextVersionBox.value }

    private let checkpointsBox = LockedBox<(log: CheckpointLog, publicKey: String)?>(nil)

    /// Makes `verifyHistory()` check the ledger against this checkpoint log, signed by this key.
    public func useCheckpoints(_ log: CheckpointLog, publicKey: String) { checkpointsBox.value = (log, publicKey) }

    /// The checkpoint log and trusted key verification uses, when set.
    var checkpoints: (log: CheckpointLog, publicKey: String)? { checkpointsBox.value }
}

/// A value behind a lock, readable from any thread.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
    /// Reads and changes the value under the lock in one step.
    func withValue<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&stored) } }
}
