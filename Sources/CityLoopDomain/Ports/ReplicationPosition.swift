import Foundation

/// The queries a read replica may answer: the evaluation, analytics and the leader's screen (and the reports built
/// from them). Everything else reads and writes the primary.
public typealias ReadStore = EvaluationStore & AnalyticsStore & DashboardStore

/// How far a database has come in its write history: on a primary, how much it has written; on a streaming
/// replica, how much it has replayed (PostgreSQL's WAL position in bytes). A replica whose position has reached the
/// primary's, read at some moment, holds every write acknowledged before that moment.
public protocol ReplicationPosition: Sendable {
    /// The position now.
    func replicationPosition() async throws -> UInt64
}
