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

    /// Creates a department.
    public init(id: DepartmentID, name: String, nameEn: String, areaCode: String? = nil, territorial: Bool = false) {
        self.id = id
        self.name = name
        self.nameEn = nameEn
        self.areaCode = areaCode
        self.territorial = territorial
    }
}
