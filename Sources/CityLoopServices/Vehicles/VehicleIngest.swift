import CityLoopDomain
import Foundation
import Synchronization

/// What one batch of positions did.
public struct VehicleIngestResult: Sendable, Equatable {
    /// Positions of known vehicles taken in.
    public var accepted: Int
    /// Of those, positions not stored before (a terminal re-sending its buffer sends some twice).
    public var stored: Int
    /// Positions refused, with the reason (an unknown vehicle, a point outside WGS84's ranges).
    public var refused: [(vehicleID: String, reason: String)]
    /// Events the rules raised.
    public var events: [VehicleEvent]

    /// Whether two results say the same.
    public static func == (a: Self, b: Self) -> Bool {
        a.accepted == b.accepted && a.stored == b.stored && a.events == b.events
            && a.refused.map { "\($0.vehicleID)|\($0.reason)" } == b.refused.map { "\($0.vehicleID)|\($0.reason)" }
    }
}

/// Positions into the city (车辆定位接入): every channel (JT/T 808 terminals, a fleet platform over HTTP) hands its
/// positions here. A batch runs through each vehicle's tracker (`VehicleTracker`, the rules) and is stored with the
/// trackers and the events in one transaction, so an acknowledged position is kept and a restart finds the rules
/// where they were. All work of a node goes through one queue, one batch at a time (a tracker is read, moved and
/// written back by one batch only); terminals' positions waiting together are written as one batch (group commit),
/// so thousands of connections cost a few transactions a second. Each node keeps the trackers it wrote in memory with
/// the token its batch wrote them with: a batch reads only the stored tokens and decodes just the trackers another node
/// wrote since (a vehicle moving to another node's connection, a fleet platform's posts spread over nodes), so it
/// goes on where the vehicle was. A tracker is written when its rules move on (`VehicleTracker.differsMaterially`)
/// and at least every `checkpointSeconds` otherwise, not with every report: encoding every moving truck's tracker
/// with every batch was most of the work. After a crash a tracker resumes with its last fix up to that much older; a
/// flush at shutdown writes the rest that are still this node's.
public actor VehicleIngest {
    private let store: any CityStore
    private let clock: any CityClock
    /// The rules' settings (dwell, deviation, speed limits, offline time).
    public let settings: VehicleRuleSettings
    /// Sites and permits read lately, and when (per node: a change on another node is in force within `referenceSeconds`).
    private var reference: (sites: SiteIndex, permits: [VehicleID: [TransportPermit]], vehicles: [VehicleID: Vehicle], readAt: Date)?
    private var vehicleCache: [VehicleID: (vehicle: Vehicle?, readAt: Date)] = [:]
    /// The trackers this node holds: the latest, the token of the stored one and the stored one.
    private var trackerCache: [VehicleID: (tracker: VehicleTracker, token: Int64, stored: VehicleTracker)] = [:]
    /// How long a tracker that moved only in where and when the vehicle was last seen goes unwritten: at most a minute,
    /// and a quarter of the continuity gap, so a tracker read back (another node, the leader's offline sweep, a restart)
    /// is never so far behind that an unload seen in time, or a vehicle's silence, is judged differently.
    public var checkpointSeconds: TimeInterval { min(60, settings.continuityGapSeconds / 4) }
    /// The most trackers kept in memory; past it the cache starts again (and reads what it needs).
    static let trackerCacheLimit = 200_000
    /// What is done with the events a batch raised once it is stored (the live feed, cases).
    private var eventHandler: (@Sendable ([VehicleEvent]) async -> Void)?
    /// How long sites, permits and vehicles read are used before they are read again.
    static let referenceSeconds: TimeInterval = 5

    /// Creates an ingest over a store.
    public init(store: any CityStore, clock: any CityClock, settings: VehicleRuleSettings = VehicleRuleSettings()) {
        self.store = store
        self.clock = clock
        self.settings = settings
    }

    /// Sets what is done with the events of each stored batch.
    public func onEvents(_ handler: @escaping @Sendable ([VehicleEvent]) async -> Void) { eventHandler = handler }

    /// Forgets the sites, permits and vehicles read, so the next batch reads them again (after a change on this node).
    public func referenceChanged() {
        reference = nil
        referenceGeneration += 1
        vehicleCache = [:]
    }

    private enum Work {
        case alone([VehiclePosition], CheckedContinuation<VehicleIngestResult, any Error>)
        case together([VehiclePosition], @Sendable ((any Error)?) -> Void)
        case offline(CheckedContinuation<[VehicleEvent], any Error>)
        case flush(CheckedContinuation<Int, any Error>)
    }

    private var queue: [Work] = []
    private var draining = false

    /// Evaluates and stores `positions`, received now, as a batch of their own; returns what happened. Positions of
    /// unknown vehicles or with coordinates outside WGS84's ranges are refused; late and repeated ones are stored and
    /// raise nothing.
    public func ingest(_ positions: [VehiclePosition]) async throws -> VehicleIngestResult {
        try await withCheckedThrowingContinuation { enqueue(.alone(positions, $0)) }
    }

    /// Evaluates and stores `positions` with those of other callers waiting at the same time (a terminal's report:
    /// returns once they are stored, to acknowledge them).
    public func submit(_ positions: [VehiclePosition]) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            enqueue(.together(positions) { error in if let error { c.resume(throwing: error) } else { c.resume() } })
        }
    }

    /// Evaluates and stores `positions` with those of other callers waiting at the same time, without waiting:
    /// `completion` is called once they are stored (nil) or could not be (the error). For a caller with no task of its
    /// own (a terminal connection on its event loop): it costs a lock, not a task switch.
    public nonisolated func submit(_ positions: [VehiclePosition], completion: @escaping @Sendable ((any Error)?) -> Void) {
        let wake = inbox.withLock { inbox in
            inbox.work.append(.together(positions, completion))
            defer { inbox.woken = true }
            return !inbox.woken
        }
        if wake { Task { await self.drainIfIdle() } }
    }

    /// Work handed over without a task (`submit(_:completion:)`), and whether a drain was asked for since it was last
    /// taken.
    private nonisolated let inbox = Mutex<(work: [Work], woken: Bool)>(([], false))

    private func takeInbox() -> [Work] {
        inbox.withLock { inbox in
            defer { inbox = ([], false) }
            return inbox.work
        }
    }

    private func drainIfIdle() async {
        guard !draining else { return }
        draining = true
        await drain()
    }

    /// Raises `offline` for every vehicle silent past the settings' time (once per silence); the leader runs it.
    public func sweepOffline() async throws -> [VehicleEvent] {
        try await withCheckedThrowingContinuation { enqueue(.offline($0)) }
    }

    private func enqueue(_ work: Work) {
        // What was handed over without a task came first: a flush at shutdown goes after the positions before it.
        queue += takeInbox()
        queue.append(work)
        guard !draining else { return }
        draining = true
        Task { await drain() }
    }

    private func drain() async {
        while true {
            // Everything waiting is taken at once (removing from the front one by one was quadratic with thousands
            // of terminals waiting); what arrives meanwhile waits for the next round.
            let pending = queue + takeInbox()
            queue = []
            guard !pending.isEmpty else { break }
            var i = 0
            while i < pending.count {
                var waiting: [@Sendable ((any Error)?) -> Void] = []
                var positions: [VehiclePosition] = []
                // At most 20,000 positions a batch: a transaction stays short when a burst arrives.
                while i < pending.count, case .together(let p, let c) = pending[i], waiting.isEmpty || positions.count + p.count <= 20_000 {
                    positions += p
                    waiting.append(c)
                    i += 1
                }
                if !waiting.isEmpty {
                    do {
                        _ = try await process(positions)
                        for c in waiting { c(nil) }
                    } catch {
                        for c in waiting { c(error) }
                    }
                    continue
                }
                switch pending[i] {
                case .alone(let p, let c):
                    do { c.resume(returning: try await process(p)) } catch { c.resume(throwing: error) }
                case .offline(let c):
                    do { c.resume(returning: try await offline()) } catch { c.resume(throwing: error) }
                case .flush(let c):
                    do { c.resume(returning: try await writeUnwritten()) } catch { c.resume(throwing: error) }
                case .together:
                    break
                }
                i += 1
            }
        }
        draining = false
    }

    private func process(_ positions: [VehiclePosition]) async throws -> VehicleIngestResult {
        let now = clock.now()
        let (sites, permits) = try await currentReference(now: now)
        var refused: [(String, String)] = []
        var kept: [VehiclePosition] = []
        var vehicles: [VehicleID: Vehicle] = [:]
        for var p in positions {
            guard let v = try await vehicle(p.vehicleID, now: now) else {
                refused.append((p.vehicleID.rawValue, "unknown vehicle"))
                continue
            }
            guard p.point.lat.isFinite, p.point.lon.isFinite, abs(p.point.lat) <= 90, abs(p.point.lon) <= 180 else {
                refused.append((p.vehicleID.rawValue, "coordinates outside WGS84's ranges"))
                continue
            }
            p.load = v.load(reported: p.load)
            vehicles[v.id] = v
            kept.append(p)
        }
        var batch = VehicleIngestBatch()
        batch.positions = kept
        guard !kept.isEmpty else { return VehicleIngestResult(accepted: 0, stored: 0, refused: refused, events: []) }
        var trackers = try await currentTrackers(Array(vehicles.keys))
        var unwritten: [VehicleID: VehicleTracker] = [:]
        for (id, group) in Dictionary(grouping: kept, by: \.vehicleID) {
            let vehicle = vehicles[id]!
            var tracker = trackers[id] ?? VehicleTracker(vehicleID: id, kind: vehicle.kind)
            let before = tracker
            for p in group.sorted(by: { $0.time < $1.time }) {
                let finished = tracker.lastTrip
                // Charged to the company the vehicle belongs to now, when it is raised.
                batch.events += tracker.ingest(p, sites: sites, permits: permits[id] ?? [], settings: settings, receivedAt: now).map {
                    var e = $0
                    e.companyID = vehicle.companyID
                    e.driverID = vehicle.driverID
                    return e
                }
                if let trip = tracker.lastTrip, trip != finished { batch.trips.append(StoredVehicleTrip(vehicleID: id, trip: trip)) }
            }
            guard tracker != before else { continue }
            trackers[id] = tracker
            if mustWrite(tracker) { batch.trackers[id] = tracker } else { unwritten[id] = tracker }
        }
        let stored = try await write(batch)
        for (id, tracker) in unwritten { trackerCache[id]?.tracker = tracker }
        if !batch.events.isEmpty, let eventHandler { await eventHandler(batch.events) }
        return VehicleIngestResult(accepted: kept.count, stored: stored, refused: refused, events: batch.events)
    }

    private func offline() async throws -> [VehicleEvent] {
        let now = clock.now()
        var after: VehicleID?
        var events: [VehicleEvent] = []
        repeat {
            let page = try await store.vehicles(after: after, limit: 500)
            after = page.last?.id
            var trackers = try await currentTrackers(page.map(\.id))
            let byID = Dictionary(page.map { ($0.id, $0) }) { a, _ in a }
            var batch = VehicleIngestBatch()
            for (id, var tracker) in trackers {
                if var e = tracker.offline(now: now, settings: settings) {
                    e.companyID = byID[id]?.companyID
                    e.driverID = byID[id]?.driverID
                    batch.events.append(e)
                    trackers[id] = tracker
                    batch.trackers[id] = tracker
                }
            }
            if !batch.trackers.isEmpty { _ = try await write(batch) }
            events += batch.events
            if page.count < 500 { break }
        } while after != nil
        if !events.isEmpty, let eventHandler { await eventHandler(events) }
        return events
    }

    /// Whether a moved tracker is written with its batch: it is new, its rules moved on, or the stored one is
    /// `checkpointSeconds` behind.
    private func mustWrite(_ tracker: VehicleTracker) -> Bool {
        guard let stored = trackerCache[tracker.vehicleID]?.stored else { return true }
        let behind = (tracker.lastEvaluatedAt ?? .distantPast).timeIntervalSince(stored.lastEvaluatedAt ?? .distantPast)
        return behind >= checkpointSeconds || tracker.differsMaterially(from: stored)
    }

    /// Writes the trackers this node moved since they were last stored (at shutdown, so a restart resumes exactly),
    /// in turn with the batches; returns how many.
    public func flush() async throws -> Int {
        try await withCheckedThrowingContinuation { enqueue(.flush($0)) }
    }

    private func writeUnwritten() async throws -> Int {
        var batch = VehicleIngestBatch()
        let moved = trackerCache.filter { $0.value.tracker != $0.value.stored }
        guard !moved.isEmpty else { return 0 }
        // Only trackers still ours: one another node wrote since is newer than this node's copy.
        let tokens = try await store.trackerTokens(vehicleIDs: Array(moved.keys))
        for (id, c) in moved where tokens[id] == c.token { batch.trackers[id] = c.tracker }
        guard !batch.trackers.isEmpty else { return 0 }
        _ = try await write(batch)
        return batch.trackers.count
    }

    /// The trackers of these vehicles: this node's own from memory while the stored token is still the one it wrote,
    /// the others read from the store (a vehicle with no stored tracker has none).
    private func currentTrackers(_ ids: [VehicleID]) async throws -> [VehicleID: VehicleTracker] {
        let tokens = try await store.trackerTokens(vehicleIDs: ids)
        var out: [VehicleID: VehicleTracker] = [:]
        var elsewhere: [VehicleID] = []
        for id in ids {
            guard let token = tokens[id] else { continue }
            if let own = trackerCache[id], own.token == token { out[id] = own.tracker } else { elsewhere.append(id) }
        }
        if !elsewhere.isEmpty {
            for (id, tracker) in try await store.trackers(vehicleIDs: elsewhere) {
                out[id] = tracker
                if let token = tokens[id] { trackerCache[id] = (tracker, token, tracker) }
            }
        }
        return out
    }

    /// Writes a batch with a token of its own, then remembers its trackers with it.
    private func write(_ batch: VehicleIngestBatch) async throws -> Int {
        var batch = batch
        batch.trackerToken = Int64.random(in: 1...Int64.max)
        let stored = try await store.writeVehicleIngest(batch)
        // Past the limit the cache starts again, keeping the trackers whose latest state is not stored yet.
        if trackerCache.count + batch.trackers.count > Self.trackerCacheLimit { trackerCache = trackerCache.filter { $0.value.tracker != $0.value.stored } }
        for (id, tracker) in batch.trackers { trackerCache[id] = (tracker, batch.trackerToken, tracker) }
        return stored
    }

    /// The sites and permits in force. Once they are `referenceSeconds` old they are read again in the background
    /// while batches go on with them (reading and indexing thousands of sites held every batch up for a third of a
    /// second every 5 s); after a change on this node (`referenceChanged`) the next batch waits for them.
    private func currentReference(now: Date) async throws -> (SiteIndex, [VehicleID: [TransportPermit]]) {
        guard let r = reference else {
            let (sites, permits, vehicles) = try await Self.readReference(store)
            reference = (sites, permits, vehicles, now)
            return (sites, permits)
        }
        if now.timeIntervalSince(r.readAt) >= Self.referenceSeconds, !refreshing {
            refreshing = true
            let generation = referenceGeneration
            Task { [store] in
                let read = try? await Self.readReference(store)
                await self.refreshed(read, readAt: now, generation: generation)
            }
        }
        return (r.sites, r.permits)
    }

    private var refreshing = false
    /// Counts `referenceChanged` calls, so a background read begun before one is not installed after it.
    private var referenceGeneration = 0

    private func refreshed(_ read: (SiteIndex, [VehicleID: [TransportPermit]], [VehicleID: Vehicle])?, readAt: Date, generation: Int) {
        refreshing = false
        // A failed read leaves the old ones in force until the next try.
        guard let (sites, permits, vehicles) = read, generation == referenceGeneration, reference != nil else { return }
        reference = (sites, permits, vehicles, readAt)
        vehicleCache = [:]
    }

    /// Sites, permits and the fleet registry (read a page at a time: one read for thousands of trucks, where reading
    /// each truck as its cached copy aged held batches up).
    private static func readReference(_ store: any CityStore) async throws -> (SiteIndex, [VehicleID: [TransportPermit]], [VehicleID: Vehicle]) {
        let sites = try SiteIndex(sites: try await store.sites())
        let permits = Dictionary(grouping: try await store.permits(vehicleID: nil), by: \.vehicleID)
        var vehicles: [VehicleID: Vehicle] = [:]
        var after: VehicleID?
        while true {
            let page = try await store.vehicles(after: after, limit: 5000)
            for v in page { vehicles[v.id] = v }
            guard page.count == 5000, let last = page.last else { break }
            after = last.id
        }
        return (sites, permits, vehicles)
    }

    /// A vehicle from the registry read with the reference; one registered since is read alone (and remembered, a
    /// vehicle unknown too, for `referenceSeconds`).
    private func vehicle(_ id: VehicleID, now: Date) async throws -> Vehicle? {
        if let v = reference?.vehicles[id] { return v }
        if let c = vehicleCache[id], now.timeIntervalSince(c.readAt) < Self.referenceSeconds { return c.vehicle }
        let v = try await store.vehicle(id: id)
        vehicleCache[id] = (v, now)
        return v
    }
}
