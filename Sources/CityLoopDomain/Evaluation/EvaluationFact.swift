import Foundation

/// One count a case contributes to the evaluation: a counter on a local day, for the person who acted (if any) and
/// the department (if any); the case's grid places it in its street, district and the city.
public struct EvaluationFact: Hashable, Codable, Sendable {
    /// What is counted.
    public var counter: EvaluationCounter
    /// The local day number (days since 1970-01-01 in the city's time) it counts on.
    public var day: Int
    /// The person it is credited to.
    public var userID: UserID?
    /// The department it is credited to.
    public var departmentID: DepartmentID?

    /// Creates a fact.
    public init(_ counter: EvaluationCounter, day: Int, userID: UserID? = nil, departmentID: DepartmentID? = nil) {
        self.counter = counter
        self.day = day
        self.userID = userID
        self.departmentID = departmentID
    }

    /// The subjects the fact counts for: the city, the district and street of `gridCode`, the department, the person.
    public func subjects(gridCode: String) -> [EvaluationSubject] {
        var out: [EvaluationSubject] = [.city]
        if gridCode.count >= 6 { out.append(EvaluationSubject(kind: .district, id: String(gridCode.prefix(6)))) }
        if gridCode.count >= 9 { out.append(EvaluationSubject(kind: .street, id: String(gridCode.prefix(9)))) }
        if let departmentID { out.append(EvaluationSubject(kind: .department, id: departmentID.rawValue)) }
        if let userID { out.append(EvaluationSubject(kind: .user, id: userID.rawValue)) }
        return out
    }
}

/// Who or what is evaluated (考核对象).
public struct EvaluationSubject: Hashable, Codable, Sendable, Comparable {
    /// The kind of subject.
    public enum Kind: Int, Codable, Sendable, CaseIterable, Comparable {
        /// The whole city (全市).
        case city = 0
        /// A district (区县), by its 6-digit code.
        case district = 1
        /// A street or town (街道), by its 9-digit code.
        case street = 2
        /// A department (部门), by its ID.
        case department = 3
        /// A person (inspector, operator, shift lead, dispatcher), by user ID.
        case user = 4

        /// The name used in the API (`city`, `district`, …).
        public var name: String { "\(self)" }
        /// The kind for an API name.
        public static func named(_ s: String) -> Kind? { allCases.first { $0.name == s } }
        /// Orders by raw value.
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    /// The kind.
    public var kind: Kind
    /// The ID within the kind; empty for the city.
    public var id: String

    /// Creates a subject.
    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    /// The whole city.
    public static let city = EvaluationSubject(kind: .city, id: "")

    /// Orders by kind, then ID.
    public static func < (a: EvaluationSubject, b: EvaluationSubject) -> Bool { (a.kind, a.id) < (b.kind, b.id) }
}
