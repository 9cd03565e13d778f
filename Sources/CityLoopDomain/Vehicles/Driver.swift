import Foundation

/// A driver of the fleet registry (驾驶员): who drives a company's trucks. A vehicle names the driver assigned to it
/// now (`Vehicle.driverID`), and each vehicle event keeps the driver of its time, so a driver's record follows them
/// from truck to truck.
public struct Driver: Hashable, Codable, Sendable {
    /// The driver's ID.
    public var id: DriverID
    /// The name, e.g. 张师傅.
    public var name: String
    /// The driving licence number (驾驶证号): letters and digits.
    public var licenceNumber: String?
    /// A phone number (masked in answers to those who do not administer the fleet).
    public var phone: String?
    /// The company (a contractor department) the driver works for.
    public var companyID: DepartmentID?
    /// Whether the driver still drives for the company (a driver who left is kept for the record, inactive).
    public var active: Bool

    /// Creates a driver.
    public init(
        id: DriverID, name: String, licenceNumber: String? = nil, phone: String? = nil, companyID: DepartmentID? = nil, active: Bool = true
    ) {
        self.id = id
        self.name = name
        self.licenceNumber = licenceNumber
        self.phone = phone
        self.companyID = companyID
        self.active = active
    }

    private enum CodingKeys: String, CodingKey { case id, name, licenceNumber, phone, companyID, active }

    /// Reads a driver; `active` defaults to true.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(DriverID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        licenceNumber = try c.decodeIfPresent(String.self, forKey: .licenceNumber)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        companyID = try c.decodeIfPresent(DepartmentID.self, forKey: .companyID)
        active = try c.decodeIfPresent(Bool.self, forKey: .active) ?? true
    }

    /// Throws an invalid-input error naming the field: an ID of 1–64 letters, digits or `_ . : -`; a name of 1–50
    /// characters, not only spaces or line breaks, without control characters; a licence number of 6–32 letters and
    /// digits; a phone of 5–20 digits, with `+`, `-` or spaces.
    public func validate() throws {
        if id.rawValue.range(of: "^[A-Za-z0-9_.:-]{1,64}$", options: .regularExpression) == nil {
            throw DomainError.invalid("id", "id must be 1–64 letters, digits or _ . : -")
        }
        try TextRules.check(name, field: "name")
        guard !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, name.count <= 50 else { throw DomainError.invalid("name", "a name is 1–50 characters") }
        if let l = licenceNumber, l.range(of: "^[A-Za-z0-9]{6,32}$", options: .regularExpression) == nil {
            throw DomainError.invalid("licenceNumber", "a licence number is 6–32 letters and digits")
        }
        if let p = phone {
            let digits = p.filter(\.isNumber)
            guard p.range(of: "^\\+?[0-9 -]{5,24}$", options: .regularExpression) != nil, (5...20).contains(digits.count) else {
                throw DomainError.invalid("phone", "a phone number is 5–20 digits, with + - or spaces")
            }
        }
    }

    /// The driver as shown to someone who does not administer the fleet: the phone masked (`PhoneMasking`).
    public var masked: Driver {
        var d = self
        d.phone = phone.map(PhoneMasking.mask)
        return d
    }
}
