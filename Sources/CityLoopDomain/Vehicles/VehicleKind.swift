import Foundation

/// What a supervised vehicle is; decides which rules apply to it.
public enum VehicleKind: String, Hashable, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    /// Muck truck (渣土车): construction spoil; permits, forbidden zones and dumping rules apply.
    case muckTruck
    /// Road sweeper (清扫车).
    case sweeper
    /// Water sprinkler or washer (洒水车/冲洗车).
    case washer
    /// Garbage truck (垃圾车).
    case garbageTruck
    /// Any other supervised vehicle.
    case other
}
