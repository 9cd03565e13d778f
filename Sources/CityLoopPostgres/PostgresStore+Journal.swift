import CityLoopDomain
import Foundation
import NIOCore
import PostgresNIO

extension PostgresStore {
    /// Appends messages to an owner's journal (one statement).
    public func appendJournal(_ messages: [JournalMessage], owner: String) async throws {
        guard !messages.isEmpty else { return }
        var sql = SQLBuilder()
        // The text first: its binds must be in the builder before it makes the query.
        let text =
            """
            INSERT INTO reading_journal (owner, topic, payload)
            SELECT \(sql.bind(owner)), m.topic, m.payload
            FROM unnest(\(sql.bind(messages.map(\.topic)))::text[], \(sql.bind(messages.map { ByteBuffer(bytes: $0.payload) }))::bytea[])
                WITH ORDINALITY AS m(topic, payload, n) ORDER BY m.n
            """
        _ = try await rows(sql.query(text))
    }

    /// The oldest messages of an owner's journal after `seq` (after its mark when nil).
    public func journal(owner: String, after seq: Int64?, limit: Int) async throws -> [JournalEntry] {
        try await rows(
            """
            SELECT j.seq, j.topic, j.payload FROM reading_journal j
            WHERE j.owner = \(owner) AND j.seq > greatest(\(seq ?? 0), coalesce((SELECT m.seq FROM reading_journal_marks m WHERE m.owner = \(owner)), 0))
            ORDER BY j.seq LIMIT \(Int64(max(0, limit)))
            """
        ).map { r in
            let (seq, topic, payload) = try r.decode((Int64, String, ByteBuffer).self)
            return JournalEntry(seq: seq, message: JournalMessage(topic: topic, payload: Data(payload.readableBytesView)))
        }
    }

    /// The statements that record a journal mark and drop the ingested messages, for an ingest batch's transaction.
    func journalMarkParts(_ mark: JournalMark, _ sql: inout SQLBuilder) -> [String] {
        let (owner, seq) = (sql.bind(mark.owner), sql.bind(mark.seq))
        return [
            """
            INSERT INTO reading_journal_marks AS m (owner, seq) VALUES (\(owner), \(seq))
            ON CONFLICT (owner) DO UPDATE SET seq = greatest(m.seq, excluded.seq)
            """,
            "DELETE FROM reading_journal WHERE owner = \(owner) AND seq <= \(seq)",
        ]
    }
}
