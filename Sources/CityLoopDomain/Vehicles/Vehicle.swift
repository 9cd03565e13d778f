import Foundation

/// A vehicle of the fleet registry (车辆): a muck truck of a haulage company, a sweeper, a washer, a garbage truck.
public struct Vehicle: Hashable, Codable, Sendable {
    /// The vehicle's ID.
    public var id: VehicleID
    /// The number plate (车牌号), e.g. `豫A12345`.
    public var plate: String
    /// The kind, which decides the rules that apply.
    public var kind: VehicleKind
    /// The terminal's phone number (终端手机号) as its JT/T 808 header sends it: digits, leading zeros kept.
    public var terminalPhone: String?
    /// The haulage or sanitation company (a contractor department), whose credit the vehicle's events count in.
    public var companyID: DepartmentID?
    /// The load capacity in tonnes.
    public var capacityTonnes: Double?
    /// Whether the terminal reports a load state: without a sensor, "empty" means nothing.
    public var hasLoadSensor: Bool
    /// The driver's name, when known (free text, for a driver not in the registry).
    public var driver: String?
    /// The registered driver assigned to the vehicle now (`Driver`).
    public var driverID: DriverID?

    /// Creates a vehicle.
    public init(
        id: VehicleID, plate: String, kind: VehicleKind, terminalPhone: String? = nil, companyID: DepartmentID? = nil,
        capacityTonnes: Double? = nil, hasLoadSensor: Bool = true, driver: String? = nil, driverID: DriverID? = nil
    ) {
        self.id = id
        self.plate = plate
        self.kind = kind
        self.terminalPhone = terminalPhone
        self.companyID = companyID
        self.capacityTonnes = capacityTonnes
        self.hasLoadSensor = hasLoadSensor
        self.driver = driver
        self.driverID = driverID
    }

    /// Checks the fields a registry keeps: an ID of 1–64 letters, digits or `_ . : -`, a plate of 1–16 characters,
    /// not only spaces or line breaks, without control characters, a terminal phone of 1–20 digits, a capacity that is
    /// a positive number.
    public func validate() throws {
        if id.rawValue.range(of: "^[A-Za-z0-9_.:-]{1,64}$", options: .regularExpression) == nil {
            throw DomainError.invalid("id", "id must be 1–64 letters, digits or _ . : -")
        }
        try TextRules.check(plate, field: "plate")
        guard !plate.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, plate.count <= 16 else {
            throw DomainError.invalid("plate", "a plate is 1–16 characters")
        }
        if let phone = terminalPhone {
            guard (1...20).contains(phone.count), phone.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw DomainError.invalid("terminalPhone", "a terminal phone number is 1–20 digits, as the terminal sends it")
            }
        }
        if let d = driver {
            try TextRules.check(d, field: "driver")
            guard d.count <= 50 else { throw DomainError.invalid("driver", "a driver's name is at most 50 characters") }
        }
        if let c = capacityTonnes, !(c.isFinite && c > 0 && c < 1000) {
            throw DomainError.invalid("capacityTonnes", "a capacity is a positive number of tonnes")
        }
    }

    /// A terminal phone number as the registry keeps it: the header's BCD digits without the leading zeros that pad
    /// them to 12 (2013) or 20 (2019) digits, so one terminal is one number in either protocol version.
    public static func terminalNumber(_ phone: String) -> String {
        let trimmed = phone.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }

    /// The load state its terminal reports, as the rules should read it: `.unknown` without a load sensor.
    public func load(reported: VehicleLoad) -> VehicleLoad { hasLoadSensor ? reported : .unknown }
}
