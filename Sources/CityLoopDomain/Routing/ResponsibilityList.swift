import Foundation

/// How urgent a case is; time limits differ per urgency.
public enum Urgency: String, Codable, Sendable, CaseIterable {
    /// 一般
    case normal
    /// 紧急
    case urgent
    /// 特急
    case emergency

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .normal: "一般"
        case .urgent: "紧急"
        case .emergency: "特急"
        }
    }
}

/// One line of the responsibility list (权责清单): matters of a class in an area go to a department,
/// within a time limit per urgency.
public struct ResponsibilityRule: Hashable, Codable, Sendable {
    /// Rule ID, unique in the list.
    public var id: String
    /// The matter class: a 5-digit code, a 2-digit major class, or `*` for every matter.
    public var matter: String
    /// The area: a district, street or community code prefix; nil or empty for the whole city.
    public var areaCode: String?
    /// The responsible (lead) department.
    public var departmentID: DepartmentID
    /// Handling time limits by urgency; `normal` is required, missing ones are derived from it.
    public var limits: [String: TimeLimit]

    /// Creates a rule.
    public init(id: String, matter: String, areaCode: String?, departmentID: DepartmentID, limits: [Urgency: TimeLimit]) {
        self.id = id
        self.matter = matter
        self.areaCode = areaCode
        self.departmentID = departmentID
        self.limits = Dictionary(uniqueKeysWithValues: limits.map { ($0.key.rawValue, $0.value) })
    }

    /// The rule's time limit for an urgency: urgent halves and emergency quarters the normal limit when unset.
    public func limit(for urgency: Urgency, on calendar: WorkingCalendar) -> Int {
        if let l = limits[urgency.rawValue] { return l.minutes(on: calendar) }
        let normal = limits[Urgency.normal.rawValue]?.minutes(on: calendar) ?? calendar.minutesPerWorkingDay
        switch urgency {
        case .normal: return normal
        case .urgent: return max(60, normal / 2)
        case .emergency: return max(30, normal / 4)
        }
    }

    /// How specific the rule's matter is: exact class 2, major class 1, any 0.
    var matterRank: Int { matter == "*" ? 0 : (matter.count == 2 ? 1 : 2) }
    /// The area prefix, empty for the whole city.
    var areaPrefix: String { areaCode ?? "" }

    /// Whether the rule applies to a matter code in a grid.
    public func matches(matter code: String, gridCode: String) -> Bool {
        (matter == "*" || code.hasPrefix(matter)) && gridCode.hasPrefix(areaPrefix)
    }
}

/// The result of routing a case.
public enum RoutingDecision: Hashable, Sendable {
    /// Exactly one lead department, the rule that chose it, and the handling limit in working minutes.
    case department(DepartmentID, ruleID: String, limitMinutes: Int)
    /// No rule covers the case: flagged "no owner" (无主) for a person to decide; never dropped.
    case noOwner
}

/// The responsibility list: picks the one most specific rule for a case (exact matter over major class over
/// any; then the longest area prefix). Two rules with the same matter and area but different departments
/// are a conflict, reported when the list is configured.
public struct ResponsibilityList: Hashable, Codable, Sendable {
    /// The rules.
    public private(set) var rules: [ResponsibilityRule]
    // The first rule for each "matter|area prefix", and the area prefix lengths in use: routing looks up the
    // few keys a case can match instead of testing every rule (a city has thousands, one set per street).
    private let firstRule: [String: Int]
    private let prefixLengths: [Int]

    /// Creates a list, refusing conflicts and malformed rules.
    public init(rules: [ResponsibilityRule], knownDepartments: Set<DepartmentID>? = nil, catalog: Catalog? = nil) throws {
        let problems = Self.problems(rules: rules, knownDepartments: knownDepartments, catalog: catalog)
        guard problems.isEmpty else {
            throw DomainError(.conflict, code: "rules.invalid", problems.joined(separator: "; "), field: "rules")
        }
        self.rules = rules
        var first: [String: Int] = [:]
        for (i, r) in rules.enumerated() where first[Self.key(r.matter, r.areaPrefix)] == nil { first[Self.key(r.matter, r.areaPrefix)] = i }
        firstRule = first
        prefixLengths = Set(rules.map(\.areaPrefix.count)).sorted()
    }

    enum CodingKeys: String, CodingKey { case rules }

    /// Decodes the rules (checked as by `init(rules:)`).
    public init(from decoder: any Decoder) throws {
        try self.init(rules: try decoder.container(keyedBy: CodingKeys.self).decode([ResponsibilityRule].self, forKey: .rules))
    }

    /// Encodes the rules.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rules, forKey: .rules)
    }

    private static func key(_ matter: String, _ area: some StringProtocol) -> String { matter + "|" + area }

    /// An empty list: every case has no owner.
    public static let empty = try! ResponsibilityList(rules: [])

    /// Every problem with a set of rules: conflicts, duplicate IDs, malformed matters and areas, unknown departments.
    public static func problems(
        rules: [ResponsibilityRule], knownDepartments: Set<DepartmentID>? = nil, catalog: Catalog? = nil
    ) -> [String] {
        var out: [String] = []
        var ids = Set<String>()
        var byKey: [String: ResponsibilityRule] = [:]
        for r in rules {
            if !ids.insert(r.id).inserted { out.append("rule id \(r.id) appears twice") }
            let m = r.matter
            if !(m == "*" || AreaCodeRules.isDigits(m, length: 2) || AreaCodeRules.isDigits(m, length: 5)) {
                out.append("rule \(r.id): matter '\(m)' must be *, a 2-digit major class or a 5-digit class")
            } else if m.count == 5, let catalog, catalog.matter(m) == nil {
                out.append("rule \(r.id): matter class \(m) is not in the catalog")
            }
            if let a = r.areaCode, !a.isEmpty, !a.allSatisfy(\.isNumber) {
                out.append("rule \(r.id): area '\(a)' is not a code")
            }
            if let known = knownDepartments, !known.contains(r.departmentID) {
                out.append("rule \(r.id): department \(r.departmentID) does not exist")
            }
            if r.limits[Urgency.normal.rawValue] == nil { out.append("rule \(r.id): no normal time limit") }
            for (k, l) in r.limits {
                if Urgency(rawValue: k) == nil { out.append("rule \(r.id): unknown urgency '\(k)'") }
                if l.amount <= 0 { out.append("rule \(r.id): time limit for \(k) must be positive") }
            }
            let key = "\(r.matter)|\(r.areaPrefix)"
            if let other = byKey[key], other.departmentID != r.departmentID {
                out.append(
                    "rules \(other.id) and \(r.id) conflict: both assign matter \(r.matter) in area '\(r.areaPrefix)' "
                        + "to different departments (\(other.departmentID), \(r.departmentID))")
            }
            byKey[key] = r
        }
        return out
    }

    /// The lead department for a matter in a grid, at an urgency.
    public func route(matter: String, gridCode: String, urgency: Urgency, calendar: WorkingCalendar) -> RoutingDecision {
        // Most specific first: exact class, then major class, then any; within each the longest area prefix.
        // Two rules that both match differ in matter rank or prefix length, so the first hit is the best.
        var best: ResponsibilityRule?
        let matters = matter.count == 5 ? [matter, String(matter.prefix(2)), "*"] : [matter, "*"]
        search: for m in matters {
            for length in prefixLengths.reversed() where length <= gridCode.count {
                if let i = firstRule[Self.key(m, gridCode.prefix(length))], rules[i].matches(matter: matter, gridCode: gridCode) {
                    best = rules[i]
                    break search
                }
            }
        }
        guard let best else { return .noOwner }
        return .department(best.departmentID, ruleID: best.id, limitMinutes: best.limit(for: urgency, on: calendar))
    }
}
