import Foundation
import Testing

/// `cityloop import grids` from a GeoPackage (through GDAL's ogr2ogr), `report --crs`, and `bench grid --data`
/// on the imported city, all through the real command.
@Suite("Grids and coordinates on the command line")
struct GridImportCommandTests {
    /// Every `[lon,lat]` pair of a GeoJSON file, read from its text with Swift's correctly rounded `Double(_:)`
    /// (Foundation's JSON parser is not exact, which is what is being tested).
    static func coordinates(_ file: URL) throws -> Set<[Double]> {
        let text = try String(contentsOf: file, encoding: .utf8)
        let pair = #/\[\s*(-?[0-9][0-9.eE+-]*)\s*,\s*(-?[0-9][0-9.eE+-]*)\s*\]/#
        return Set(text.matches(of: pair).compactMap { m in Double(m.1).flatMap { lon in Double(m.2).map { [lon, $0] } } })
    }

    @Test func geoPackageImportsAndGCJ02ReportsLandInTheirGrid() throws {
        let ogr2ogr = try #require(["/usr/bin/ogr2ogr", "/usr/local/bin/ogr2ogr"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "ogr2ogr missing: run scripts/bootstrap (gdal-bin)")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-gridcli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let demo = root.appendingPathComponent("demo"), city = root.appendingPathComponent("city")
        let (made, madeOutput) = try ServerProcess.run(["demo", "--scale", "50", "--data", demo.path, "--demo-password", "grid-pw-123"])
        #expect(made == 0, "\(madeOutput)")
        let source = root.appendingPathComponent("grids.geojson")
        #expect(try ServerProcess.run(["export", "grids", "--out", source.path, "--data", demo.path]).0 == 0)
        let gpkg = root.appendingPathComponent("grids.gpkg"), held = root.appendingPathComponent("held.geojson")
        // The GeoPackage, and what it holds written out by GDAL itself with every digit.
        for args in [["-f", "GPKG", gpkg.path, source.path], ["-f", "GeoJSON", "-lco", "SIGNIFICANT_FIGURES=17", held.path, gpkg.path]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: ogr2ogr)
            p.arguments = args
            try ServerProcess.spawning { try p.run() }
            p.waitUntilExit()
            try #require(p.terminationStatus == 0, "ogr2ogr \(args)")
        }

        let (imported, output) = try ServerProcess.run(["import", "grids", gpkg.path, "--lang", "en", "--data", city.path])
        #expect(imported == 0, "\(output)")
        #expect(output.contains("imported"), "\(output)")
        let again = root.appendingPathComponent("again.geojson")
        #expect(try ServerProcess.run(["export", "grids", "--out", again.path, "--data", city.path]).0 == 0)
        // Bit for bit what the GeoPackage holds (GDAL's own GeoJSON reading moves a few source values by an ulp).
        #expect(try Self.coordinates(again) == Self.coordinates(held), "every coordinate of the GeoPackage, bit for bit")
        #expect(try Self.coordinates(again).count == Self.coordinates(source).count)

        // A citizen's phone gives GCJ-02: converted, the report lands in the grid of the WGS84 point.
        let geo = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any])
        let grid = try #require((geo["features"] as? [[String: Any]])?.first { ($0["properties"] as? [String: Any])?["level"] as? String == "grid" })
        let code = try #require((grid["properties"] as? [String: Any])?["code"] as? String)
        let ring = try #require(((grid["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
        let lon = ring.dropLast().map { $0[0] }.reduce(0, +) / Double(ring.count - 1)
        let lat = ring.dropLast().map { $0[1] }.reduce(0, +) / Double(ring.count - 1)
        let (gcjLat, gcjLon) = Self.wgs84ToGCJ02(lat: lat, lon: lon)
        let (reported, reportOutput) = try ServerProcess.run([
            "report", "--as", "citizen", "--matter", "06010", "--lat", "\(gcjLat)", "--lon", "\(gcjLon)", "--crs", "GCJ-02",
            "--description", "路边暴露垃圾", "--data", demo.path,
        ])
        #expect(reported == 0, "\(reportOutput)")
        #expect(reportOutput.contains("\t\(code)"), "\(reportOutput)")
        let (refused, refusedOutput) = try ServerProcess.run([
            "report", "--as", "citizen", "--matter", "06010", "--lat", "200", "--lon", "\(lon)", "--description", "x", "--data", demo.path,
        ])
        #expect(refused != 0)
        #expect(refusedOutput.contains("lat"), "\(refusedOutput)")

        let (benched, benchOutput) = try ServerProcess.run(["bench", "grid", "--data", city.path, "--lookups", "20000", "--brute-force", "200"])
        #expect(benched == 0, "\(benchOutput)")
        #expect(benchOutput.contains("200/200"), "\(benchOutput)")
        #expect(benchOutput.contains("imported city"), "\(benchOutput)")
    }

    /// The published WGS84 → GCJ-02 formula, written out again here so the test does not trust the code under test.
    static func wgs84ToGCJ02(lat: Double, lon: Double) -> (Double, Double) {
        let a = 6_378_245.0, ee = 0.006_693_421_622_965_943_23
        let x = lon - 105, y = lat - 35
        var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3 + (20 * sin(y * .pi) + 40 * sin(y / 3 * .pi)) * 2 / 3
        dLat += (160 * sin(y / 12 * .pi) + 320 * sin(y * .pi / 30)) * 2 / 3
        var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLon += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3 + (20 * sin(x * .pi) + 40 * sin(x / 3 * .pi)) * 2 / 3
        dLon += (150 * sin(x / 12 * .pi) + 300 * sin(x / 30 * .pi)) * 2 / 3
        let rad = lat / 180 * .pi
        let magic = 1 - ee * sin(rad) * sin(rad)
        dLat = dLat * 180 / ((a * (1 - ee)) / (magic * magic.squareRoot()) * .pi)
        dLon = dLon * 180 / (a / magic.squareRoot() * cos(rad) * .pi)
        return (lat + dLat, lon + dLon)
    }
}
