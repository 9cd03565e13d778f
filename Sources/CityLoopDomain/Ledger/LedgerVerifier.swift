import Foundation

/// The pure rules of `cityloop verify` over the city ledger: the ledger's own chain, each case's history against
/// its ledger entries and its row, and the ledger against checkpoints. Every problem names the case (by number
/// when the row exists) and the event.
public enum LedgerVerifier {
    /// Checks the ledger's chain as it streams by in sequence order, and that it passes through every
    /// checkpointed head.
    public struct ChainCheck: Sendable {
        /// The head recomputed so far.
        public private(set) var head = LedgerHead.empty
        /// Problems found so far.
        public private(set) var problems: [String] = []
        /// Checkpointed heads by sequence number, still to pass.
        var checkpoints: [Int64: String]

        /// Starts a check that also compares the ledger with these checkpointed heads.
        public init(checkpoints: [LedgerCheckpoint] = []) {
            var heads: [Int64: String] = [:]
            for c in checkpoints { heads[c.seq] = c.headHash }
            self.checkpoints = heads
        }

        /// Checks the next entry.
        public mutating func consume(_ e: LedgerEntry, hasher: some EventHasher) {
            if e.seq != head.seq + 1 {
                problems.append("ledger: entry \(e.seq) follows entry \(head.seq) (entries removed or inserted)")
            }
            if !e.isIntact(after: head.hash, hasher: hasher) {
                problems.append("ledger: entry \(e.seq) (case \(e.caseID) event \(e.eventSeq)) was altered or does not link to the entry before it")
            }
            head = LedgerHead(seq: e.seq, hash: e.hash)
            if let expected = checkpoints.removeValue(forKey: e.seq), expected != e.hash {
                problems.append(
                    "ledger: entry \(e.seq) (case \(e.caseID) event \(e.eventSeq)) differs from the signed checkpoint at \(e.seq) (history up to it was rewritten)")
            }
        }

        /// The problems once the whole ledger went by: checkpoints beyond its end mean it was cut short.
        public func finished() -> [String] {
            problems + checkpoints.keys.sorted().map { seq in
                "ledger: a signed checkpoint covers \(seq) entries but the ledger ends at \(head.seq) (the ledger was truncated)"
            }
        }
    }

    /// Problems of one stored case: its per-case chain, its row against its events, and its events against
    /// the ledger entries that name it. `matched` is how many ledger entries found their event.
    public static func problems(of h: StoredHistory, hasher: some EventHasher) -> (problems: [String], matched: Int) {
        let c = h.record
        var out = ChainVerifier.problems(case: c, events: h.events, hasher: hasher)
        for e in h.events where e.caseID != c.id {
            out.append("case \(c.number): event \(e.seq) belongs to case \(e.caseID) (moved between cases)")
        }
        out += CaseProjection(events: h.events).differences(from: c).map { "case \(c.number): row was edited: \($0)" }
        var byPosition: [Int: LedgerEntry] = [:]
        for l in h.ledger { byPosition[l.eventSeq] = l }
        var matched = 0
        for e in h.events {
            guard let l = byPosition.removeValue(forKey: e.seq) else {
                out.append("case \(c.number): event \(e.seq) (\(e.action.rawValue)) is not in the city ledger (inserted into history)")
                continue
            }
            matched += 1
            if l.eventHash != e.hash {
                out.append("case \(c.number): event \(e.seq) (\(e.action.rawValue)) differs from ledger entry \(l.seq) (event rewritten)")
            }
        }
        for l in byPosition.values.sorted(by: { $0.seq < $1.seq }) {
            out.append("case \(c.number): event \(l.eventSeq) is in the ledger (entry \(l.seq)) but not stored (event deleted)")
        }
        return (out, matched)
    }

    /// The problem an orphan ledger entry stands for.
    public static func problem(_ o: OrphanLedgerEntry) -> String {
        o.caseMissing
            ? "case \(o.caseID): in the ledger (entry \(o.seq), event \(o.eventSeq)) but the case is not stored (case deleted)"
            : "case \(o.caseID): event \(o.eventSeq) is in the ledger (entry \(o.seq)) but not stored (event deleted)"
    }
}
