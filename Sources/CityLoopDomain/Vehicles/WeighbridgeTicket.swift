import Foundation

/// One weighing at a weighbridge (过磅单): what a disposal site's or transfer station's weighbridge system records for
/// a truck, sent to the city over the API or imported. A ticket is known by its site and number, so sending it again
/// changes nothing.
public struct WeighbridgeTicket: Hashable, Codable, Sendable {
    /// The ticket's number in the weighbridge system (磅单号), unique at its site.
    public var number: String
    /// Where it was weighed: a disposal site (消纳场) or a weighbridge site (地磅) of the registry.
    public var siteID: SiteID
    /// The vehicle, when the weighbridge system knows the city's ID for it; else `plate` names it.
    public var vehicleID: VehicleID?
    /// The plate as the weighbridge read it (车牌号), e.g. `苏A·D1234`; spaces, dots and dashes are ignored.
    public var plate: String?
    /// When the truck was weighed (gross weight, at the gate).
    public var weighedAt: Date
    /// Gross weight in kg (毛重): truck and load.
    public var grossKg: Double
    /// Tare weight in kg (皮重): the empty truck.
    public var tareKg: Double
    /// What was weighed, as the weighbridge names it (渣土, 建筑垃圾, 生活垃圾…); optional.
    public var material: String?

    /// Creates a ticket.
    public init(
        number: String, siteID: SiteID, vehicleID: VehicleID? = nil, plate: String? = nil, weighedAt: Date, grossKg: Double, tareKg: Double,
        material: String? = nil
    ) {
        self.number = number
        self.siteID = siteID
        self.vehicleID = vehicleID
        self.plate = plate
        self.weighedAt = weighedAt
        self.grossKg = grossKg
        self.tareKg = tareKg
        self.material = material
    }

    /// The load's weight in kg (净重): gross less tare.
    public var netKg: Double { grossKg - tareKg }

    /// The heaviest gross weight taken, in kg: no road vehicle weighs 200 t.
    public static let maxKg: Double = 200_000
    /// How far a ticket may lie ahead of the platform's clock (a weighbridge's clock running fast).
    public static let futureToleranceSeconds: TimeInterval = 300
    /// How old a ticket may be: an import of last year's tickets is taken, older ones are a mistake.
    public static let maxAgeSeconds: TimeInterval = 400 * 86_400

    /// Throws an invalid-input error naming the field: a number of 1–64 characters without control characters, a
    /// site, a vehicle ID or a plate of 1–16 characters, a time within `maxAgeSeconds` before and
    /// `futureToleranceSeconds` after `now`, weights of 0–`maxKg` kg with the tare at most the gross.
    public func validate(now: Date) throws {
        try TextRules.check(number, field: "number")
        guard !number.trimmingCharacters(in: .whitespaces).isEmpty, number.count <= 64 else {
            throw DomainError.invalid("number", "a ticket number is 1–64 characters", code: "weighbridge.number")
        }
        guard !siteID.rawValue.isEmpty, siteID.rawValue.count <= 64 else {
            throw DomainError.invalid("siteID", "a ticket names the site of its weighbridge", code: "weighbridge.site")
        }
        if let v = vehicleID, v.rawValue.isEmpty || v.rawValue.count > 64 {
            throw DomainError.invalid("vehicleID", "a vehicle ID is 1–64 characters", code: "weighbridge.vehicle")
        }
        if let plate {
            try TextRules.check(plate, field: "plate")
            guard !Self.normalizedPlate(plate).isEmpty, plate.count <= 16 else {
                throw DomainError.invalid("plate", "a plate is 1–16 characters", code: "weighbridge.plate")
            }
        }
        guard vehicleID != nil || plate != nil else {
            throw DomainError.invalid("plate", "a ticket names its vehicle by vehicleID or plate", code: "weighbridge.vehicle")
        }
        if let material {
            try TextRules.check(material, field: "material")
            guard material.count <= 32 else { throw DomainError.invalid("material", "a material is at most 32 characters", code: "weighbridge.material") }
        }
        let t = weighedAt.timeIntervalSince(now)
        guard t.isFinite, t <= Self.futureToleranceSeconds, t >= -Self.maxAgeSeconds else {
            throw DomainError.invalid(
                "weighedAt", "the time must lie within 400 days before and 5 minutes after the platform's clock", code: "weighbridge.time")
        }
        for (field, kg) in [("grossKg", grossKg), ("tareKg", tareKg)] where !(kg.isFinite && kg >= 0 && kg <= Self.maxKg) {
            throw DomainError.invalid(field, "a weight is 0–200,000 kg", code: "weighbridge.weight")
        }
        guard tareKg <= grossKg else { throw DomainError.invalid("tareKg", "the tare cannot exceed the gross weight", code: "weighbridge.weight") }
    }

    /// A plate as plates are compared: upper case, without spaces, middle dots, dots or dashes (`苏A·d1234` → `苏AD1234`).
    public static func normalizedPlate(_ plate: String) -> String {
        String(plate.uppercased().filter { !" ·.-\u{B7}\u{30FB}\u{2022}\t".contains($0) })
    }
}
