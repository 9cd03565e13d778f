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
    func connection(_ delta: Int) { lock.withLock { connections += delta } }

    /// Frames read so far.
    public var frameCount: Int { lock.withLock { frames } }
    /// Positions stored so far.
    public var positionCount: Int { lock.withLock { positions } }
    /// Connections open now.
    public var openConnections: Int { lock.withLock { connections } }
    /// Refusals per terminal phone number (as its frames sent it; `?` when no header could be read).
    public var refusalsByTerminal: [String: Refusals] { lock.withLock { refusals } }
}
