import CityLoopDomain
import PostgresNIO

extension PostgresStore: ReplicationPosition {
    /// The WAL position: written on a primary, replayed on a standby (in bytes from the start of the history).
    public func replicationPosition() async throws -> UInt64 {
        let rows = try await rows(
            """
            SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn)::bigint
            """)
        guard let row = rows.first, let position = try row.decode(Int64?.self) else { return 0 }
        return UInt64(max(0, position))
    }
}
