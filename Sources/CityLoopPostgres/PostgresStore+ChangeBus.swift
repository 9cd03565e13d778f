import CityLoopDomain
import Foundation
import PostgresNIO

/// Change notices between nodes over PostgreSQL's LISTEN/NOTIFY: a notice is sent when its transaction commits
/// and reaches every session listening on the channel.
extension PostgresStore: ChangeBus {
    /// The channel every node listens on.
    static let changeChannel = "cityloop_changes"
    /// NOTIFY payloads must stay under 8,000 bytes; a larger live item is not forwarded (its node still shows it).
    static let maxNoticeBytes = 7_900

    /// Sends a notice (dropped when too large for NOTIFY).
    public func publish(_ notice: ChangeNotice) async throws {
        let text = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
        guard text.utf8.count <= Self.maxNoticeBytes else { return }
        _ = try await rows("SELECT pg_notify(\(Self.changeChannel), \(text))")
    }

    /// Listens on a pooled connection held for as long as it listens.
    public func listen(_ receive: @escaping @Sendable (ChangeNotice) async -> Void) async throws {
        try await withConnection { connection in
            let decoder = JSONDecoder()
            for try await n in try await connection.listen(Self.changeChannel) {
                if let notice = try? decoder.decode(ChangeNotice.self, from: Data(n.payload.utf8)) { await receive(notice) }
            }
        }
    }
}
