import CityLoopDomain
import Foundation

/// Vehicles on the live feed (车辆实时位置推送): while consoles that asked for vehicles (the fleet map) are connected to
/// this node, every tick reads where each vehicle was last and sends those that reported since the previous tick as
/// one `vehicles` event to this node's subscribers. It reads the database, not this node's ingest, so a console sees
/// every vehicle whichever node its terminal is connected to; nothing is forwarded between nodes. Per node: each node
/// runs its own.
public actor FleetFeed {
    private let platform: Platform
    private var sent: [VehicleID: Date] = [:]
    /// Whether `sent` holds where the vehicles were when the consoles connected (the first tick sends nothing).
    private var primed = false
    /// The most positions one event carries; more are sent as several events.
    public static let chunk = 2000

    /// Creates the feed of a node.
    public init(platform: Platform) { self.platform = platform }

    /// One tick: publishes the positions newer than those sent last (none while no console watches vehicles); returns
    /// how many it sent.
    @discardableResult
    public func tick() async throws -> Int {
        guard platform.live.vehicleWatcherCount > 0 else {
            // Nobody watching: the next watcher loads the map itself; changes count from then.
            sent = [:]
            primed = false
            return 0
        }
        let latest = try await platform.store.latestPositions()
        let moved = primed ? latest.filter { p in sent[p.vehicleID].map { p.time > $0 } ?? true } : []
        primed = true
        for p in latest { sent[p.vehicleID] = max(p.time, sent[p.vehicleID] ?? p.time) }
        let now = platform.clock.now()
        for start in stride(from: 0, to: moved.count, by: Self.chunk) {
            let part = Array(moved[start..<min(moved.count, start + Self.chunk)])
            platform.live.publishHere(LiveItem(event: LiveEvent(vehicles: part, at: now), record: nil))
        }
        return moved.count
    }
}
