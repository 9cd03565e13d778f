import Foundation

/// A change to one case: the new record, the events that led to it (sealed), the version it was read at, and
/// what it does to the kept sums.
public struct CaseChange: Sendable {
    /// The case after the change.
    public var record: CaseRecord
    /// Events to append, in order.
    public var events: [CaseEvent]
    /// The version the change was computed from; the store refuses it if the stored version differs.
    public var expectedVersion: Int
    /// The change of the evaluation and analytics sums (the store writes it as it is).
    public var delta: CaseDelta

    /// Creates a change.
    public init(record: CaseRecord, events: [CaseEvent], expectedVersion: Int, delta: CaseDelta) {
        self.record = record
        self.events = events
        self.expectedVersion = expectedVersion
        self.delta = delta
    }
}

extension CaseChange {
    /// The change that appends `events` to the chain of `before`, whose events so far are `history`: numbers them
    /// after its last event, seals each on the previous hash, sets the record's chain head, event count and next
    /// version, and computes what the change does to the kept sums.
    public init(sealing record: CaseRecord, events: [CaseEvent], after before: CaseRecord, history: [CaseEvent], hasher: some EventHasher) {
        var r = record
        var prev = before.lastEventHash
        var sealed: [CaseEvent] = []
        for (i, e) in events.enumerated() {
            var e = e
            e.seq = before.eventCount + i + 1
            let s = e.sealed(after: prev, hasher: hasher)
            prev = s.hash
            sealed.append(s)
        }
        r.eventCount = before.eventCount + sealed.count
        r.lastEventHash = prev
        r.version = before.version + 1
        var delta = CaseDelta()
        delta.add(changing: before, history: history, to: r, events: sealed)
        self.init(record: r, events: sealed, expectedVersion: before.version, delta: delta)
    }
}
