import CityLoopDomain
import Foundation

/// Shapefile and GeoPackage, what a GIS team exports, turned into WGS84 GeoJSON by GDAL's `ogr2ogr` (Debian
/// `gdal-bin`) when it is installed: `ogr2ogr -f GeoJSON -t_srs EPSG:4326`, 17 significant digits so nothing
/// moves on the way. Without GDAL the import says so and how to get it.
public enum OGRConversion {
    /// File name endings converted through GDAL: `.shp`, a zipped Shapefile `.zip` (or `.shp.zip`), `.gpkg`.
    public static let fileExtensions = ["shp", "zip", "gpkg"]

    /// Whether `path` names a file to convert through GDAL rather than read as GeoJSON.
    public static func handles(path: String) -> Bool {
        fileExtensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased())
    }

    /// The path of `ogr2ogr` on `PATH`, nil when GDAL is not installed.
    public static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let dirs = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return dirs.map { "\($0)/ogr2ogr" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The file's single layer as a GeoJSON FeatureCollection in WGS84.
    public static func geoJSON(fromFile path: String, ogr2ogr: String? = executable()) throws -> Data {
        guard let ogr2ogr else {
            throw DomainError(
                .unsupportedMedia, code: "gdal.missing",
                "reading Shapefile or GeoPackage needs GDAL's ogr2ogr, which is not installed (Debian: apt-get install gdal-bin); "
                    + "or convert the file to GeoJSON first", field: "file")
        }
        let source = URL(fileURLWithPath: path).pathExtension.lowercased() == "zip" ? "/vsizip/" + path : path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-ogr-\(UUID().uuidString).geojson")
        defer { try? FileManager.default.removeItem(at: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ogr2ogr)
        p.arguments = ["-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "SIGNIFICANT_FIGURES=17", out.path, source]
        let errors = Pipe()
        p.standardError = errors
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let data = FileManager.default.contents(atPath: out.path) else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw DomainError.invalid("file", "ogr2ogr could not read \(URL(fileURLWithPath: path).lastPathComponent): \(text.prefix(500))", code: "gdal.failed")
        }
        return data
    }

    /// An uploaded body that is a GeoPackage (SQLite) or a zipped Shapefile, as GeoJSON; nil for anything else
    /// (GeoJSON is read as it is).
    public static func geoJSON(fromUpload data: Data) throws -> Data? {
        let ext: String
        if data.starts(with: Array("SQLite format 3\u{0}".utf8)) {
            ext = "gpkg"
        } else if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            ext = "zip"
        } else {
            return nil
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-upload-\(UUID().uuidString).\(ext)")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try geoJSON(fromFile: file.path)
    }
}
