import CityLoopDomain
import Foundation
import Logging
import Metrics

/// Sends the evaluation, analytics and screen queries to a read replica when one is configured, and only when the
/// replica has caught up with the primary as of the query's start: its replayed position must reach the primary's
/// written position, read first. So every write acknowledged before a read — the reader's own included, on whichever
/// node it was made — is in what the read sees (read-your-writes). A replica that lags past `wait`, or does not
/// answer, leaves the query to the primary. Counted in `cityloop_reads_total{target}`.
public final class ReadRouter: Sendable {
    let primary: any ReadStore
    let primaryPosition: (any ReplicationPosition)?
    let replica: (any ReadStore & ReplicationPosition)?
    let wait: Duration
    private let logger = Logger(label: "cityloop.reads")
    private let counts = LockedBox((replica: 0, primary: 0))

    /// Routes to `replica` when given (the primary must then tell its position), else always to `primary`.
    public init(primary: any ReadStore, replica: (any ReadStore & ReplicationPosition)? = nil, wait: Duration = .seconds(1)) {
        self.primary = primary
        primaryPosition = primary as? any ReplicationPosition
        self.replica = primaryPosition == nil ? nil : replica
        self.wait = wait
    }

    /// Whether a replica is configured.
    public var hasReplica: Bool { replica != nil }

    /// How many reads each side has served on this node.
    public var served: (replica: Int, primary: Int) { counts.value }

    /// The store to read from now.
    public func store() async -> any ReadStore {
        guard let replica, let primaryPosition else { return primary }
        do {
            let target = try await primaryPosition.replicationPosition()
            let deadline = ContinuousClock.now.advanced(by: wait)
            while true {
                if try await replica.replicationPosition() >= target {
                    count(replica: true)
                    return replica
                }
                if ContinuousClock.now >= deadline { break }
                try await Task.sleep(for: .milliseconds(5))
            }
        } catch {
            logger.warning("read replica not used", metadata: ["error": "\(error)"])
        }
        count(replica: false)
        return primary
    }

    /// The replica's lag behind the primary now, in bytes of write history (nil without a replica); throws when
    /// either does not answer.
    public func replicaLag() async throws -> UInt64? {
        guard let replica, let primaryPosition else { return nil }
        let written = try await primaryPosition.replicationPosition()
        let replayed = try await replica.replicationPosition()
        return written > replayed ? written - replayed : 0
    }

    private func count(replica: Bool) {
        counts.withValue { replica ? ($0.replica += 1) : ($0.primary += 1) }
        Counter(label: "cityloop_reads_total", dimensions: [("target", replica ? "replica" : "primary")]).increment()
    }
}
