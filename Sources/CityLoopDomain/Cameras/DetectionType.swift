import Foundation

/// What a camera's model recognised (识别类型), each mapped by default to a matter class of the GB/T 47678.5 catalog.
/// The raw values are what cameras send in `type`.
public enum DetectionType: String, Hashable, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    /// Roadside business occupying the road (占道经营), 09006.
    case occupiedRoad
    /// A mobile street vendor (流动摊贩, 无照经营游商), 09001.
    case streetVending
    /// Business spilling out of a shop onto the pavement (店外经营, 出店经营), 09005.
    case outsideStoreBusiness
    /// Exposed garbage (暴露垃圾), 06010.
    case exposedGarbage
    /// An overflowing garbage bin or station (垃圾满溢), 06042.
    case overflowingBin
    /// Materials or debris piled in public space (乱堆物堆料), 06036.
    case piledMaterials
    /// An illegally parked motor vehicle (违章停车, 机动车乱停放), 09009.
    case illegalParking
    /// Illegally parked bicycles or e-bikes (非机动车乱停放), 09010.
    case nonMotorVehicleParking
    /// Laundry hung along the street (沿街晾挂), 06007.
    case hangingAlongStreet
    /// Open-air barbecue (露天烧烤), 06029.
    case openAirBarbecue
    /// A manhole without its cover (井盖缺失), 01023: the camera cannot tell whose cover it is.
    case missingManholeCover

    /// The default matter class (管理事项) of its cases. A missing cover takes the unidentified cover's class (不明井盖
    /// 异常); the service may refine it to the class of a registered component found at the spot.
    public var matterCode: String {
        switch self {
        case .occupiedRoad: "09006"
        case .streetVending: "09001"
        case .outsideStoreBusiness: "09005"
        case .exposedGarbage: "06010"
        case .overflowingBin: "06042"
        case .piledMaterials: "06036"
        case .illegalParking: "09009"
        case .nonMotorVehicleParking: "09010"
        case .hangingAlongStreet: "06007"
        case .openAirBarbecue: "06029"
        case .missingManholeCover: "01023"
        }
    }

    /// The Chinese label.
    public var label: String {
        switch self {
        case .occupiedRoad: "占道经营"
        case .streetVending: "流动摊贩"
        case .outsideStoreBusiness: "店外经营"
        case .exposedGarbage: "暴露垃圾"
        case .overflowingBin: "垃圾满溢"
        case .piledMaterials: "乱堆杂物"
        case .illegalParking: "机动车乱停放"
        case .nonMotorVehicleParking: "非机动车乱停放"
        case .hangingAlongStreet: "沿街晾挂"
        case .openAirBarbecue: "露天烧烤"
        case .missingManholeCover: "井盖缺失"
        }
    }

    /// The English label.
    public var labelEnglish: String {
        switch self {
        case .occupiedRoad: "Roadside business occupying the road"
        case .streetVending: "Mobile street vendor"
        case .outsideStoreBusiness: "Business outside the shop"
        case .exposedGarbage: "Exposed garbage"
        case .overflowingBin: "Overflowing garbage bin"
        case .piledMaterials: "Piled materials"
        case .illegalParking: "Illegally parked motor vehicle"
        case .nonMotorVehicleParking: "Illegally parked bicycles"
        case .hangingAlongStreet: "Laundry hung along the street"
        case .openAirBarbecue: "Open-air barbecue"
        case .missingManholeCover: "Missing manhole cover"
        }
    }

    /// The raw values, comma-separated, for error messages.
    public static var known: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Reads a type from its raw value; an unknown one throws an invalid-input error naming the JSON field (`type`,
    /// `zones[0].types[2]`) and listing the known types.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let t = DetectionType(rawValue: raw) else {
            let field = CameraText.path(decoder.codingPath)
            throw DomainError.invalid(
                field, "\(field): unknown detection type '\(raw.prefix(64))'; known types are \(Self.known)",
                code: "detection.type")
        }
        self = t
    }
}
