import Foundation

/// What a node's JT/T 808 server has seen, per terminal where it concerns one (per node: each node counts its own
/// connections). Refusals are counted by reason, with the last one kept, so an operator can tell a terminal with a
/// wrong configuration from an attacker.
public final class JT808Counters: @unchecked Sendable {
    /// A terminal's count of refused frames and messages.
    public struct Refusals: Equatable, Sendable {
        /// Refusals by reason.
        public var byReason: [String: Int] = [:]
        /// The last reason.
        public var last: String = ""
    }

    private let lock = NSLock()
    private var frames = 0
    private var positions = 0
    private var connections = 0
    private var refusals: [String: Refusals] = [:]
    private var latencies: [Double] = []
    private var latencyCount = 0
    private var peakConnections = 0
    /// Latencies kept (the latest; older ones are overwritten in turn).
    static let latencySamples = 200_000

    /// Creates empty counters.
    public init() {}

    /// Counts a frame with a readable header.
    func count(frame terminal: String) { lock.withLock { frames += 1 } }
    /// Counts stored positions.
    func count(positions n: Int) { lock.withLock { positions += n } }
    /// Counts a refusal of a terminal's frame or message.
    func count(error reason: String, terminal: String) {
        lock.withLock {
            refusals[terminal, default: Refusals()].byReason[reason, default: 0] += 1
            refusals[terminal]?.last = reason
        }
    }
    /// Counts a connection opening (+1) or closing (−1).
    func connection(_ delta: Int) {
        lock.withLock {
            connections += delta
            peakConnections = max(peakConnections, connections)
        }
    }
    /// Records the time from a location frame read to its positions stored and run through the rules (its reply).
    func record(latency seconds: Double) {
        lock.withLock {
            if latencies.count < Self.latencySamples { latencies.append(seconds) } else { latencies[latencyCount % Self.latencySamples] = seconds }
            latencyCount += 1
        }
    }

    /// The most connections open at once so far.
    public var peakOpenConnections: Int { lock.withLock { peakConnections } }
    /// The latency (seconds) from a location frame to its positions stored and evaluated, at quantile `q` of the
    /// kept samples; nil before any.
    public func latency(quantile q: Double) -> Double? {
        let sorted = lock.withLock { latencies }.sorted()
        guard !sorted.isEmpty else { return nil }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
    }

    /// Frames read so far.
    public var frameCount: Int { lock.withLock { frames } }
    /// Positions stored so far.
    public var positionCount: Int { lock.withLock { positions } }
    /// Connections open now.
    public var openConnections: Int { lock.withLock { connections } }
    /// Refusals per terminal phone number (as its frames sent it; `?` when no header could be read).
    public var refusalsByTerminal: [String: Refusals] { lock.withLock { refusals } }
}
