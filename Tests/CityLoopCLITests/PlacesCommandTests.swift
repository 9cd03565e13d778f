import Foundation
import Testing

/// `cityloop import places` and `export places`: the place table through the command line.
@Suite("Place table on the command line")
struct PlacesCommandTests {
    @Test func importAndExportPlaces() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-places-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let (demo, demoOutput) = try ServerProcess.run(["demo", "--scale", "50", "--data", data.path, "--demo-password", "places-pw-1"])
        #expect(demo == 0, "\(demoOutput)")
        // A point inside the demo city: the middle of the first grid's outline.
        let gridsFile = data.appendingPathComponent("grids.geojson")
        let (exported, _) = try ServerProcess.run(["export", "grids", "--out", gridsFile.path, "--data", data.path])
        #expect(exported == 0)
        let geo = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: gridsFile)) as? [String: Any])
        let grid = try #require((geo["features"] as? [[String: Any]])?.first { ($0["properties"] as? [String: Any])?["level"] as? String == "grid" }
            ?? (geo["features"] as? [[String: Any]])?.last)
        let ring = try #require(((grid["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
        let lon = ring.dropLast().map { $0[0] }.reduce(0, +) / Double(ring.count - 1)
        let lat = ring.dropLast().map { $0[1] }.reduce(0, +) / Double(ring.count - 1)

        let csv = data.appendingPathComponent("places.csv")
        try "name,address,lat,lon\n\"紫荆山公园, 南门\",金水路1号,\(lat),\(lon)\n外地,上海,31.23,121.47\n坏行,,x,y\n"
            .write(to: csv, atomically: true, encoding: .utf8)
        let (imported, output) = try ServerProcess.run(["import", "places", csv.path, "--lang", "en", "--data", data.path])
        #expect(imported == 0, "\(output)")
        #expect(output.contains("imported 1 places, rejected 2 rows"), "\(output)")
        let (exportCode, exportOutput) = try ServerProcess.run(["export", "places", "--data", data.path])
        #expect(exportCode == 0)
        #expect(exportOutput.hasPrefix("name,address,lat,lon\n\"紫荆山公园, 南门\",金水路1号,"), "\(exportOutput)")
    }
}
