import Foundation

/// What changes of cases do to the sums the stores keep beside them (评价与分析汇总): each case's evaluation facts
/// of a day (the cases behind any number), those facts summed by day, subject and counter (every period's
/// figures), and reported cases per day by area and class (hotspots and trends). A pure value computed from the
/// case before and after a change; a store writes it as rows in the same transaction as the change, so it never
/// derives a rule itself and never reads the case again to learn what changed.
public struct CaseDelta: Sendable {
    /// A case's facts of one day, encoded (`EvaluationFacts.encode`), replacing any earlier row of that day.
    public struct FactRow: Sendable, Hashable {
        /// The local day.
        public var day: Int
        /// The case.
        public var caseID: CaseID
        /// The case's unit grid.
        public var gridCode: String
        /// The facts of the day.
        public var blob: [UInt8]
    }

    /// A key of the reported-case counts: an area prefix (city `""`, district, street), a matter prefix (all `""`,
    /// major class, class) and a local day.
    public struct ReportKey: Hashable, Sendable {
        /// The area prefix of the case's grid code.
        public var area: String
        /// The matter prefix of the case's class.
        public var matter: String
        /// The local day the case was reported.
        public var day: Int

        /// Creates a key.
        public init(area: String, matter: String, day: Int) {
            self.area = area
            self.matter = matter
            self.day = day
        }
    }

    /// The area prefix lengths the reported-case counts keep (city, district, street).
    public static let countedAreaLengths = [0, 6, 9]
    /// The matter prefix lengths the reported-case counts keep (all, major class, class).
    public static let countedMatterLengths = [0, 2, 5]

    /// Subjects in the order first seen; a count's key refers to them by position.
    public private(set) var subjects: [EvaluationSubject] = []
    private var subjectNumbers: [EvaluationSubject: Int] = [:]
    // One integer per (day, subject, counter): the demo's million cases make 125 million increments, which
    // string keys made a tenth of the whole load.
    private var counts: [UInt64: Int] = [:]
    // The numbers of a grid's area subjects (city, district, street), looked up once per grid rather than once per case.
    private var areaNumbers: [String: [Int]] = [:]
    /// Fact rows to delete before the new ones are written.
    public private(set) var removedFacts: [(day: Int, caseID: CaseID)] = []
    /// Fact rows to write (insert or replace).
    public private(set) var factRows: [FactRow] = []
    /// Changes to the reported-case counts.
    public private(set) var reportCounts: [ReportKey: Int] = [:]

    /// An empty delta.
    public init() {}

    /// The delta of a new case with its history so far (intake, bulk load, a migration bringing the sums to a
    /// city that has cases).
    public init(created c: CaseRecord, events: [CaseEvent]) {
        add(created: c, events: events)
    }

    /// Whether it changes nothing.
    public var isEmpty: Bool { counts.isEmpty && removedFacts.isEmpty && factRows.isEmpty && reportCounts.isEmpty }

    /// Adds a new case with its history so far.
    public mutating func add(created c: CaseRecord, events: [CaseEvent]) {
        replaceFacts(caseID: c.id, old: nil, new: (c.placement.gridCode, Self.facts(c, events)))
        countReport(c, sign: 1)
    }

    /// Adds the change of a case from `before` (with its history) to `after` (with the history after the change).
    public mutating func add(changing before: CaseRecord, history: [CaseEvent], to after: CaseRecord, events: [CaseEvent]) {
        replaceFacts(
            caseID: after.id, old: (before.placement.gridCode, Self.facts(before, history)),
            new: (after.placement.gridCode, Self.facts(after, history + events)))
        if (before.placement.gridCode, before.matterCode, before.createdAt) != (after.placement.gridCode, after.matterCode, after.createdAt) {
            countReport(before, sign: -1)
            countReport(after, sign: 1)
        }
    }

    /// Calls `body` with every non-zero change of the evaluation sums: day, subject, counter and the amount.
    public func forEachCount(_ body: (Int, EvaluationSubject, EvaluationCounter, Int) throws -> Void) rethrows {
        for (k, n) in counts where n != 0 {
            let (day, subject, counter) = Self.unpack(k)
            guard let c = EvaluationCounter(rawValue: counter) else { continue }
            try body(day, subjects[subject], c, n)
        }
    }

    /// The nine reported-case keys of a case reported on `day` in `grid` with `matter`.
    public static func reportKeys(day: Int, grid: String, matter: String) -> [ReportKey] {
        var out: [ReportKey] = []
        for a in countedAreaLengths where grid.count >= a {
            for m in countedMatterLengths where matter.count >= m {
                out.append(ReportKey(area: String(grid.prefix(a)), matter: String(matter.prefix(m)), day: day))
            }
        }
        return out
    }

    /// The facts of a case, on the evaluation's day boundary.
    public static func facts(_ c: CaseRecord, _ events: [CaseEvent]) -> [EvaluationFact] {
        EvaluationFacts.derive(c, events: events, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)
    }

    private mutating func countReport(_ c: CaseRecord, sign: Int) {
        let day = EvaluationFacts.day(of: c.createdAt, utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)
        for k in Self.reportKeys(day: day, grid: c.placement.gridCode, matter: c.matterCode) { reportCounts[k, default: 0] += sign }
    }

    private mutating func number(_ s: EvaluationSubject) -> Int {
        if let n = subjectNumbers[s] { return n }
        subjects.append(s)
        subjectNumbers[s] = subjects.count - 1
        return subjects.count - 1
    }

    private static func key(day: Int, subject: Int, counter: EvaluationCounter) -> UInt64 {
        // Days since 1970 fit 24 bits for 45,000 years; subjects 32 bits; counters 8.
        UInt64(UInt32(truncatingIfNeeded: day) & 0xFF_FFFF) << 40 | UInt64(UInt32(subject)) << 8 | UInt64(counter.rawValue)
    }

    private static func unpack(_ k: UInt64) -> (day: Int, subject: Int, counter: Int) {
        (Int(k >> 40), Int((k >> 8) & 0xFFFF_FFFF), Int(k & 0xFF))
    }

    /// Counts `facts` of a case in `grid` with `sign` (+1 to add, −1 to take away), as `EvaluationFact.subjects`.
    private mutating func count(_ facts: [EvaluationFact], grid: String, sign: Int) {
        let areas: [Int]
        if let known = areaNumbers[grid] {
            areas = known
        } else {
            areas = EvaluationFact(.reported, day: 0).subjects(gridCode: grid).map { number($0) }
            areaNumbers[grid] = areas
        }
        var people: [String: Int] = [:]
        var departments: [String: Int] = [:]
        for f in facts {
            for a in areas { counts[Self.key(day: f.day, subject: a, counter: f.counter), default: 0] += sign }
            if let d = f.departmentID?.rawValue {
                let n = departments[d] ?? number(EvaluationSubject(kind: .department, id: d))
                departments[d] = n
                counts[Self.key(day: f.day, subject: n, counter: f.counter), default: 0] += sign
            }
            if let u = f.userID?.rawValue {
                let n = people[u] ?? number(EvaluationSubject(kind: .user, id: u))
                people[u] = n
                counts[Self.key(day: f.day, subject: n, counter: f.counter), default: 0] += sign
            }
        }
    }

    /// Replaces a case's facts: the old ones leave the sums and their rows, the new ones come in.
    private mutating func replaceFacts(caseID: CaseID, old: (grid: String, facts: [EvaluationFact])?, new: (grid: String, facts: [EvaluationFact])) {
        if let old {
            count(old.facts, grid: old.grid, sign: -1)
            for day in Set(old.facts.map(\.day)) { removedFacts.append((day, caseID)) }
        }
        count(new.facts, grid: new.grid, sign: 1)
        for (day, facts) in EvaluationFacts.byDay(new.facts) {
            // The sums hold every fact; the blob (only for listing a number's cases) cannot name more than 255
            // people in a day of one case, which no real case comes near: past that it keeps departments.
            let blob = EvaluationFacts.encode(facts) ?? EvaluationFacts.encode(facts.map { f in var f = f; f.userID = nil; return f }) ?? [0]
            factRows.append(FactRow(day: day, caseID: caseID, gridCode: new.grid, blob: blob))
        }
    }
}
