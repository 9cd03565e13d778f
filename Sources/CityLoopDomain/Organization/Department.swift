import Foundation

/// A department that handles cases (专业处置部门), or a street office acting as territorial owner.
public struct Department: Hashable, Codable, Sendable {
    /// The department's ID, e.g. `sanitation`.
    public var id: DepartmentID
    /// Chinese name, e.g. 市环卫处.
    public var name: String
    /// English name.
    public var nameEn: String
    /// The area it serves (a city, district or street code); nil for city-wide.
    public var areaCode: String?
    /// Whether this is a territorial unit (属地, e.g. a street office) that owns what nobody else does.
    public var territorial: Bool
    /// Whether this is a contractor (作业企业): a sanitation, haulage or other company working under contract, whose
    /// credit the city rates (清运企业信用评价).
    public var contractor: Bool

    /// Creates a department.
    public init(id: DepartmentID, name: String, nameEn: String, areaCode: String? = nil, territorial: Bool = false, contractor: Bool = false) {
        self.id = id
        self.name = name
        self.nameEn = nameEn
        self.areaCode = areaCode
        self.territorial = territorial
        self.contractor = contractor
    }

    enum CodingKeys: String, CodingKey { case id, name, nameEn, areaCode, territorial, contractor }

    /// Decodes a department; `contractor` may be absent (departments saved before it existed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(DepartmentID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        nameEn = try c.decode(String.self, forKey: .nameEn)
        areaCode = try c.decodeIfPresent(String.self, forKey: .areaCode)
        territorial = try c.decodeIfPresent(Bool.self, forKey: .territorial) ?? false
        contractor = try c.decodeIfPresent(Bool.self, forKey: .contractor) ?? false
    }
}
