import ArgumentParser
import CityLoopDomain

/// `--crs wgs84|cgcs2000|gcj02|bd09` (also `EPSG:4326`, `EPSG:4490`), case-insensitive.
extension CoordinateSystem: ExpressibleByArgument {
    /// Reads the option's value.
    public init?(argument: String) { self.init(name: argument) }

    /// The names shown in `--help`.
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
