import Foundation

/// A level of the area hierarchy (city → district → street → community), each with its code length.
public enum AreaLevel: String, Codable, Sendable, CaseIterable, Comparable {
    /// The city (市): GB/T 2260 code with district digits 00, e.g. `410100`.
    case city
    /// A district or county (区/县): 6-digit GB/T 2260 code, e.g. `410105`.
    case district
    /// A street or township (街道/乡镇): 9-digit GB/T 10114 code.
    case street
    /// A community or village committee (社区/村委会): 12-digit code.
    case community

    /// The number of digits in a code at this level.
    public var codeLength: Int {
        switch self {
        case .city, .district: 6
        case .street: 9
        case .community: 12
        }
    }

    /// The level above, if any.
    public var parent: AreaLevel? {
        switch self {
        case .city: nil
        case .district: .city
        case .street: .district
        case .community: .street
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    /// Orders from city down to community.
    public static func < (l: Self, r: Self) -> Bool { l.rank < r.rank }
}

/// An administrative area with its boundary.
public struct Area: Hashable, Codable, Sendable {
    /// The area code (6, 9 or 12 digits, see `AreaLevel`).
    public var code: String
    /// The area's name, e.g. 金水区.
    public var name: String
    /// Its level.
    public var level: AreaLevel
    /// The parent area's code; nil for the city.
    public var parentCode: String?
    /// The boundary.
    public var boundary: Polygon

    /// Creates an area.
    public init(code: String, name: String, level: AreaLevel, parentCode: String?, boundary: Polygon) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.boundary = boundary
    }
}

/// A unit grid (万米单元网格): the smallest managed area, about 10,000 m², coded with 15 characters
/// (6 district + 3 street + 3 community + 3 sequence).
public struct UnitGrid: Hashable, Codable, Sendable {
    /// The 15-character grid code.
    public var code: String
    /// The boundary.
    public var boundary: Polygon

    /// Creates a grid.
    public init(code: String, boundary: Polygon) {
        self.code = code
        self.boundary = boundary
    }

    /// The 12-digit community code the grid belongs to.
    public var communityCode: String { String(code.prefix(12)) }
    /// The 9-digit street code.
    public var streetCode: String { String(code.prefix(9)) }
    /// The 6-digit district code.
    public var districtCode: String { String(code.prefix(6)) }
}

/// Rules for well-formed area and grid codes.
public enum AreaCodeRules {
    /// Whether `code` is all ASCII digits of the given length.
    public static func isDigits(_ code: String, length: Int) -> Bool {
        code.utf8.count == length && code.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Problems with an area code at a level, empty when it is well formed.
    public static func problems(code: String, level: AreaLevel, parentCode: String?) -> [String] {
        var out: [String] = []
        if !isDigits(code, length: level.codeLength) {
            out.append("code '\(code)' must be \(level.codeLength) digits for a \(level.rawValue)")
        }
        if level == .city, !code.hasSuffix("00") { out.append("city code '\(code)' must end in 00") }
        if level == .district, code.hasSuffix("00") { out.append("district code '\(code)' must not end in 00") }
        if let parentCode, level != .district, level != .city, !code.hasPrefix(parentCode) {
            out.append("code '\(code)' does not start with its parent's code '\(parentCode)'")
        }
        if level == .district, let parentCode, code.prefix(4) != parentCode.prefix(4) {
            out.append("district '\(code)' is not in city '\(parentCode)'")
        }
        return out
    }

    /// Problems with a unit grid code: 15 characters, digits, sequence not 000.
    public static func gridCodeProblems(_ code: String) -> [String] {
        guard isDigits(code, length: 15) else { return ["grid code '\(code)' must be 15 digits"] }
        if code.hasSuffix("000") { return ["grid code '\(code)' has sequence 000"] }
        return []
    }
}
