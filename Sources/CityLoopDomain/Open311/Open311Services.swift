import Foundation

/// The language of Open311 answers: service names, groups and status notes (Chinese by default).
public enum Open311Language: String, Sendable {
    /// 中文.
    case zh
    /// English.
    case en

    /// The language asked for by a `locale`/`lang` parameter or an `Accept-Language` header; Chinese unless
    /// English comes first.
    public static func from(_ text: String?) -> Open311Language {
        guard let first = text?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() else { return .zh }
        return first.hasPrefix("en") ? .en : .zh
    }
}

/// One Open311 service (GeoReport v2 `service`): a matter class of the catalog open to the public.
public struct Open311Service: Hashable, Sendable {
    /// `service_code`: the 5-digit matter class code.
    public var code: String
    /// `service_name`.
    public var name: String
    /// `description`: the name in the other language and the major class, so either reader finds it.
    public var description: String
    /// `group`: the major class.
    public var group: String
    /// `keywords`.
    public var keywords: [String]
    /// `metadata`: whether `GET services/{code}` lists extra attributes.
    public var metadata: Bool
    /// `type`: always `realtime` — a request becomes a case at once.
    public var type: String { "realtime" }
}

/// An extra field of a service (GeoReport v2 service definition `attribute`), posted as `attribute[code]`.
public struct Open311Attribute: Hashable, Sendable {
    /// `code`.
    public var code: String
    /// `datatype`: string, number, datetime, text, singlevaluelist or multivaluelist.
    public var datatype: String
    /// `required`.
    public var required: Bool
    /// `datatype_description`: what a valid value looks like.
    public var datatypeDescription: String
    /// `order`.
    public var order: Int
    /// `description`: the question put to the reporter.
    public var description: String
    /// `values` of a list.
    public var values: [Value]

    /// One choice of a list attribute.
    public struct Value: Hashable, Sendable {
        /// `key`: what is posted.
        public var key: String
        /// `name`: what is shown.
        public var name: String
    }
}

/// The catalog as Open311 services: every matter class except those the city keeps off the public list.
public struct Open311Catalog: Sendable {
    let catalog: Catalog
    let hidden: Set<String>

    /// Creates the service list; `hidden` holds matter codes (5 digits) or major classes (2 digits) not offered.
    public init(catalog: Catalog, hidden: Set<String> = []) {
        self.catalog = catalog
        self.hidden = hidden
    }

    /// Whether a matter class is offered to the public.
    public func isOffered(_ code: String) -> Bool {
        catalog.matter(code) != nil && !hidden.contains(code) && !hidden.contains(String(code.prefix(2)))
    }

    /// Every offered service, by code.
    public func services(_ lang: Open311Language) -> [Open311Service] {
        catalog.all(.matter).filter { isOffered($0.code) }.map { service($0, lang) }
    }

    /// One offered service.
    public func service(_ code: String, _ lang: Open311Language) -> Open311Service? {
        guard isOffered(code), let e = catalog.matter(code) else { return nil }
        return service(e, lang)
    }

    private func service(_ e: CatalogEntry, _ lang: Open311Language) -> Open311Service {
        let groupEn = e.majorClassEnglish ?? e.majorClass
        let en = e.nameEn ?? e.name
        switch lang {
        case .zh:
            return Open311Service(
                code: e.code, name: e.name, description: "\(e.majorClass) · \(e.name)\(e.nameEn.map { "（\($0)）" } ?? "")",
                group: e.majorClass, keywords: [e.name, e.majorClass] + (e.nameEn.map { [$0] } ?? []),
                metadata: !attributes(e.code, lang).isEmpty)
        case .en:
            return Open311Service(
                code: e.code, name: en, description: "\(groupEn) · \(en) (\(e.name))", group: groupEn,
                keywords: [en, groupEn, e.name], metadata: !attributes(e.code, lang).isEmpty)
        }
    }

    /// The extra fields a service asks for: a matter about a component (major classes 01–05) asks which one,
    /// by the 17-digit code on its plate; every service asks how urgent it is.
    public func attributes(_ code: String, _ lang: Open311Language) -> [Open311Attribute] {
        guard let e = catalog.matter(code) else { return [] }
        var list: [Open311Attribute] = []
        if e.isComponentMatter {
            list.append(
                Open311Attribute(
                    code: Self.componentAttribute, datatype: "string", required: false,
                    datatypeDescription: lang == .zh ? "17 位部件编码，如 11010500101001234" : "the 17-digit component code, e.g. 11010500101001234",
                    order: 1,
                    description: lang == .zh ? "部件编号（设施铭牌上的编码，可不填）" : "Component code on the object's plate (optional)",
                    values: []))
        }
        list.append(
            Open311Attribute(
                code: Self.urgencyAttribute, datatype: "singlevaluelist", required: false,
                datatypeDescription: Urgency.allCases.map(\.rawValue).joined(separator: " / "), order: list.count + 1,
                description: lang == .zh ? "是否紧急（危及安全时选紧急）" : "Is it urgent (a danger to people)?",
                values: Urgency.allCases.map { .init(key: $0.rawValue, name: lang == .zh ? $0.chineseName : $0.rawValue.capitalized) }))
        return list
    }

    /// The attribute naming a component.
    public static let componentAttribute = "component_id"
    /// The attribute giving urgency.
    public static let urgencyAttribute = "urgency"
}
