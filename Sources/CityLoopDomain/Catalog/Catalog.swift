import Foundation

/// Whether a catalog entry is a managed component (管理部件) or a managed matter (管理事项).
public enum CatalogKind: String, Codable, Sendable, CaseIterable {
    /// A managed component: a physical object such as a manhole cover.
    case component
    /// A managed matter: a problem that becomes a case, such as exposed garbage.
    case matter
}

/// One class of the GB/T 47678.5 catalog, national or a local extension.
public struct CatalogEntry: Hashable, Codable, Sendable {
    /// 5-digit code: 2 major class + 3 minor.
    public var code: String
    /// Component or matter.
    public var kind: CatalogKind
    /// The major class's Chinese name, e.g. 市容环境类.
    public var majorClass: String
    /// The Chinese name, e.g. 暴露垃圾.
    public var name: String
    /// The English name (every national entry has one; a local extension may not).
    public var nameEn: String?
    /// The major class's English name where one is known, e.g. City appearance and environment.
    public var majorClassEn: String?
    /// Whether this is a local extension rather than a national class.
    public var isLocal: Bool

    /// Creates an entry.
    public init(
        code: String, kind: CatalogKind, majorClass: String, name: String, nameEn: String? = nil, majorClassEn: String? = nil,
        isLocal: Bool = false
    ) {
        self.code = code
        self.kind = kind
        self.majorClass = majorClass
        self.name = name
        self.nameEn = nameEn
        self.majorClassEn = majorClassEn
        self.isLocal = isLocal
    }

    /// The major class in English: the entry's own, else the national one of its 2-digit code.
    public var majorClassEnglish: String? { majorClassEn ?? Catalog.majorClassEnglish[majorCode] }

    /// The 2-digit major class code.
    public var majorCode: String { String(code.prefix(2)) }

    /// Whether a matter of this class is about a component (major classes 01–05) rather than an event.
    public var isComponentMatter: Bool { (Int(majorCode) ?? 99) <= 5 }
}

/// The catalog of components and matters: the national one built in, plus local extensions.
public struct Catalog: Sendable {
    private var entries: [CatalogKind: [String: CatalogEntry]]

    /// English names of the major classes, by kind and 2-digit code.
    public static let majorClassEnglish: [String: String] = [
        "01": "Municipal utilities", "02": "Traffic facilities", "03": "Sanitation and city appearance facilities",
        "04": "Landscaping facilities", "05": "Other components", "06": "City appearance and environment",
        "07": "Advertising and publicity", "08": "Construction management", "09": "Street order", "10": "Other matters",
    ]

    /// The national GB/T 47678.5 catalog.
    public static let national: Catalog = {
        // The built-in CSV is checked by tests; a malformed line here is a build defect.
        try! Catalog(csv: CatalogData.csv)
    }()

    /// Parses catalog CSV with a header line: `code,kind,major_class,name`, or with English columns
    /// `code,kind,major_class,major_class_en,name,name_en` (columns found by the header's names).
    public init(csv: String, isLocal: Bool = false) throws {
        entries = [:]
        var column: [String: Int] = [:]
        for (n, line) in csv.split(whereSeparator: \.isNewline).enumerated() {
            let cols = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if n == 0 {
                for (i, name) in cols.enumerated() { column[name] = i }
                continue
            }
            let english = column["name_en"] != nil
            guard cols.count >= (english ? column.count : 4), let kind = CatalogKind(rawValue: cols[1]) else {
                throw DomainError.invalid(
                    "catalog", "line \(n + 1) is not \(english ? "code,kind,major_class,major_class_en,name,name_en" : "code,kind,major_class,name")")
            }
            func value(_ name: String) -> String? { column[name].flatMap { cols[$0].isEmpty ? nil : cols[$0] } }
            let e = CatalogEntry(
                code: cols[0], kind: kind, majorClass: cols[2],
                // Without English columns a name may hold commas: the rest of the line is the name.
                name: english ? (value("name") ?? "") : cols[3...].joined(separator: ","),
                nameEn: value("name_en"), majorClassEn: value("major_class_en"), isLocal: isLocal)
            try Self.check(e)
            entries[kind, default: [:]][e.code] = e
        }
    }

    /// Creates a catalog from entries.
    public init(entries list: [CatalogEntry]) {
        entries = [:]
        for e in list { entries[e.kind, default: [:]][e.code] = e }
    }

    static func check(_ e: CatalogEntry) throws {
        guard AreaCodeRules.isDigits(e.code, length: 5) else {
            throw DomainError.invalid("code", "catalog code '\(e.code)' must be 5 digits")
        }
        guard !e.name.isEmpty else { throw DomainError.invalid("name", "catalog entry \(e.code) has no name") }
    }

    /// The catalog with local extensions added. An extension may not reuse a national code.
    public func adding(_ extensions: [CatalogEntry]) throws -> Catalog {
        var copy = self
        for var e in extensions {
            try Self.check(e)
            if let existing = entries[e.kind]?[e.code], !existing.isLocal {
                throw DomainError(
                    .conflict, code: "catalog.code_taken",
                    "code \(e.code) is a national \(e.kind.rawValue) class (\(existing.name))", field: "code")
            }
            e.isLocal = true
            copy.entries[e.kind, default: [:]][e.code] = e
        }
        return copy
    }

    /// The matter class with this code.
    public func matter(_ code: String) -> CatalogEntry? { entries[.matter]?[code] }
    /// The component class with this code.
    public func component(_ code: String) -> CatalogEntry? { entries[.component]?[code] }
    /// Every entry of a kind, sorted by code.
    public func all(_ kind: CatalogKind) -> [CatalogEntry] {
        (entries[kind] ?? [:]).values.sorted { $0.code < $1.code }
    }
    /// Every entry, components first, sorted by code.
    public var allEntries: [CatalogEntry] { all(.component) + all(.matter) }
    /// The number of entries of a kind.
    public func count(_ kind: CatalogKind) -> Int { entries[kind]?.count ?? 0 }
}
