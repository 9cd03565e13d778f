import Foundation
import PostgresNIO

extension PostgresStore {
    /// The operating-system process IDs of the server's backends and background workers (`pg_stat_activity`):
    /// the benchmark reads their CPU time when the server runs on the same machine.
    public func serverProcessIDs() async throws -> [Int32] {
        try await rows("SELECT pid FROM pg_stat_activity").map { try $0.decode(Int32.self) }
    }
}
