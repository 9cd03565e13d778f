import Foundation

/// One change of a case, append-only and hash-chained: each event's hash covers its content and the previous
/// event's hash, so any edit, removal or insertion in stored history breaks the chain (`cityloop verify`).
public struct CaseEvent: Hashable, Codable, Sendable {
    /// The hash before a case's first event.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The case.
    public var caseID: CaseID { didSet { memo = CanonicalMemo() } }
    /// Position in the case's history, from 1.
    public var seq: Int { didSet { memo = CanonicalMemo() } }
    /// What was done.
    public var action: CaseAction { didSet { memo = CanonicalMemo() } }
    /// State before.
    public var fromState: CaseState? { didSet { memo = CanonicalMemo() } }
    /// State after.
    public var toState: CaseState { didSet { memo = CanonicalMemo() } }
    /// Who did it.
    public var actorID: UserID { didSet { memo = CanonicalMemo() } }
    /// The actor's name.
    public var actorName: String { didSet { memo = CanonicalMemo() } }
    /// The role acted in.
    public var actorRole: Role { didSet { memo = CanonicalMemo() } }
    /// When.
    public var at: Date { didSet { memo = CanonicalMemo() } }
    /// Comment.
    public var comment: String? { didSet { memo = CanonicalMemo() } }
    /// Evidence media IDs.
    public var evidence: [String] { didSet { memo = CanonicalMemo() } }
    /// Action details, e.g. `department`, `extensionHours`, `targetCase`.
    public var details: [String: String] { didSet { memo = CanonicalMemo() } }
    /// The deadline of the step this action completed, if one ran.
    public var dueAt: Date? { didSet { memo = CanonicalMemo() } }
    /// Whether the step was completed by its deadline.
    public var onTime: Bool? { didSet { memo = CanonicalMemo() } }
    /// The previous event's hash.
    public var prevHash: String { didSet { memo = CanonicalMemo() } }
    /// This event's hash (hex SHA-256 of `canonicalText`).
    public var hash: String
    // The canonical bytes `sealed` hashed, so storing the event does not build them a second time (a tenth of
    // loading the demo's history); a change of any field they cover drops them.
    private var memo = CanonicalMemo()

    private enum CodingKeys: String, CodingKey {
        case caseID, seq, action, fromState, toState, actorID, actorName, actorRole, at, comment, evidence, details, dueAt, onTime, prevHash, hash
    }

    /// Creates an event; the hash is set by the chain.
    public init(
        caseID: CaseID, seq: Int, action: CaseAction, fromState: CaseState?, toState: CaseState, actor: Actor, at: Date,
        comment: String? = nil, evidence: [String] = [], details: [String: String] = [:], dueAt: Date? = nil,
        prevHash: String = CaseEvent.genesisHash
    ) {
        self.caseID = caseID
        self.seq = seq
        self.action = action
        self.fromState = fromState
        self.toState = toState
        self.actorID = actor.userID
        self.actorName = actor.name
        self.actorRole = actor.role
        self.at = at
        // An empty comment is no comment: both hash to the same text.
        self.comment = comment?.isEmpty == true ? nil : comment
        self.evidence = evidence
        self.details = details
        self.dueAt = dueAt
        self.onTime = dueAt.map { at <= $0 }
        self.prevHash = prevHash
        self.hash = ""
    }

    /// The exact text the hash covers: every field but the hash, in a fixed order, times in milliseconds.
    public var canonicalText: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// `canonicalText` as UTF-8 bytes. Built byte by byte into one buffer: string appends (and before them,
    /// joining fifteen strings) were the largest cost of loading the demo history.
    public var canonicalBytes: [UInt8] { memo.bytes ?? buildCanonicalBytes() }

    private func buildCanonicalBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(320)
        // Every separator is escaped inside values, so two different events can never hash the same text.
        // Byte-wise: the separators are ASCII and never occur inside a multi-byte UTF-8 sequence.
        func special(_ b: UInt8) -> Bool { b == 0x5C || b == 0x7C || b == 0x26 || b == 0x3D || b == 0x2C }  // \ | & = ,
        func esc(_ s: String) {
            var s = s
            s.withUTF8 { bytes in
                guard bytes.contains(where: special) else { return out.append(contentsOf: bytes) }
                for b in bytes {
                    if special(b) { out.append(0x5C) }
                    out.append(b)
                }
            }
        }
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        func bar() { out.append(0x7C) }
        // Decimal text of an integer this size is a small string: no allocation.
        func int(_ n: Int64) { raw(String(n)) }
        func ms(_ d: Date?) { if let d { int(Int64((d.timeIntervalSince1970 * 1000).rounded())) } }
        esc(caseID.rawValue); bar()
        int(Int64(seq)); bar()
        raw(action.rawValue); bar()
        raw(fromState?.rawValue ?? ""); bar()
        raw(toState.rawValue); bar()
        esc(actorID.rawValue); bar()
        esc(actorName); bar()
        raw(actorRole.rawValue); bar()
        ms(at); bar()
        esc(comment ?? ""); bar()
        for (i, e) in evidence.enumerated() {
            if i > 0 { out.append(0x2C) }
            esc(e)
        }
        bar()
        for (i, key) in details.keys.sorted().enumerated() {
            if i > 0 { out.append(0x26) }
            esc(key)
            out.append(0x3D)
            esc(details[key]!)
        }
        bar()
        ms(dueAt); bar()
        if let onTime { out.append(onTime ? 0x31 : 0x30) }
        bar()
        raw(prevHash)
        return out
    }
}

/// Computes event hashes. The domain defines what is hashed; an adapter supplies SHA-256.
public protocol EventHasher: Sendable {
    /// The lowercase hex digest of `text`'s UTF-8 bytes.
    func digest(_ text: String) -> String
    /// The lowercase hex digest of UTF-8 bytes.
    func digest(utf8 bytes: [UInt8]) -> String
}

extension EventHasher {
    /// Hashes the bytes as text.
    public func digest(utf8 bytes: [UInt8]) -> String { digest(String(decoding: bytes, as: UTF8.self)) }
}

extension CaseEvent {
    /// The event with `prevHash` set and its hash computed.
    public func sealed(after prevHash: String, hasher: some EventHasher) -> CaseEvent {
        var e = self
        e.prevHash = prevHash
        // Dates are hashed and stored at millisecond precision so a round trip through any store verifies.
        e.at = Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded() / 1000)
        e.dueAt = dueAt.map { Date(timeIntervalSince1970: ($0.timeIntervalSince1970 * 1000).rounded() / 1000) }
        let bytes = e.buildCanonicalBytes()
        e.hash = hasher.digest(utf8: bytes)
        e.memo = CanonicalMemo(bytes: bytes)
        return e
    }
}

/// Canonical bytes kept beside an event: not part of its value (equal, hashed, coded and described as if absent).
private struct CanonicalMemo: Hashable, Sendable, CustomStringConvertible {
    var bytes: [UInt8]?
    static func == (_: CanonicalMemo, _: CanonicalMemo) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
    var description: String { bytes == nil ? "-" : "kept" }
}

/// Checks a case's stored history against its hash chain.
public enum ChainVerifier {
    /// Problems found in one case's events (sorted by seq) against the case record; empty when intact.
    public static func problems(case c: CaseRecord, events: [CaseEvent], hasher: some EventHasher) -> [String] {
        var out: [String] = []
        var prev = CaseEvent.genesisHash
        for (i, e) in events.enumerated() {
            if e.seq != i + 1 { out.append("case \(c.number): event at position \(i + 1) has seq \(e.seq) (missing or inserted event)") }
            if e.prevHash != prev { out.append("case \(c.number): event \(e.seq) does not link to the previous event") }
            if hasher.digest(utf8: e.canonicalBytes) != e.hash { out.append("case \(c.number): event \(e.seq) was altered (hash mismatch)") }
            prev = e.hash
        }
        if c.lastEventHash != prev { out.append("case \(c.number): the case's chain head does not match its last event (events removed or added)") }
        if c.eventCount != events.count { out.append("case \(c.number): records \(c.eventCount) events, \(events.count) stored") }
        if let last = events.last, last.toState != c.state {
            out.append("case \(c.number): state \(c.state.rawValue) differs from its history's \(last.toState.rawValue)")
        }
        return out
    }
}
