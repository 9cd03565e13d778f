import Foundation
import Testing

/// `cityloop locate`: points of a CSV file to unit grids, and their agreement with a reference.
@Suite("Locate on the command line")
struct LocateCommandTests {
    @Test func pointsFindTheirGridsAndDisagreementsFail() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-locate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        // setup: the demo city, and a point in the middle of one of its grids (from the exported GeoJSON)
        let (demo, demoOutput) = try ServerProcess.run(["demo", "--scale", "50", "--data", data.path, "--demo-password", "locate-pw-1"])
        #expect(demo == 0, "\(demoOutput)")
        let gridsFile = data.appendingPathComponent("grids.geojson")
        #expect(try ServerProcess.run(["export", "grids", "--out", gridsFile.path, "--data", data.path]).0 == 0)
        let geo = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: gridsFile)) as? [String: Any])
        let grid = try #require((geo["features"] as? [[String: Any]])?.first { ($0["properties"] as? [String: Any])?["level"] as? String == "grid" })
        let code = try #require((grid["properties"] as? [String: Any])?["code"] as? String)
        let ring = try #require(((grid["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
        let lon = ring.dropLast().map { $0[0] }.reduce(0, +) / Double(ring.count - 1)
        let lat = ring.dropLast().map { $0[1] }.reduce(0, +) / Double(ring.count - 1)

        // MUT: look the points up, then compare them with a reference that agrees, and one that does not
        let points = data.appendingPathComponent("points.csv")
        try "lat,lon\n\(lat),\(lon)\n31.23,121.47\n".write(to: points, atomically: true, encoding: .utf8)
        let (listed, listing) = try ServerProcess.run(["locate", points.path, "--data", data.path])
        let agreeing = data.appendingPathComponent("agreeing.csv")
        try "lat,lon,grid\n\(lat),\(lon),\(code)\n31.23,121.47,\n".write(to: agreeing, atomically: true, encoding: .utf8)
        let (agreed, agreement) = try ServerProcess.run(["locate", agreeing.path, "--expect", "--lang", "en", "--data", data.path])
        let differing = data.appendingPathComponent("differing.csv")
        try "lat,lon,grid\n\(lat),\(lon),000000000000000\n".write(to: differing, atomically: true, encoding: .utf8)
        let (differed, difference) = try ServerProcess.run(["locate", differing.path, "--expect", "--lang", "en", "--data", data.path])
        let bad = data.appendingPathComponent("bad.csv")
        try "lat,lon\n200,113.6\n".write(to: bad, atomically: true, encoding: .utf8)
        let (refused, refusal) = try ServerProcess.run(["locate", bad.path, "--lang", "en", "--data", data.path])

        // validate
        #expect(listed == 0 && listing.contains("\(lat),\(lon),\(code)\n") && listing.contains("31.23,121.47,\n"), "\(listing)")
        #expect(agreed == 0 && agreement.contains("2 points (1 inside a grid)") && agreement.contains("2 agree, 0 differ"), "\(agreement)")
        #expect(differed == 1 && difference.contains("0 agree, 1 differ") && difference.contains("\(code) ≠ 000000000000000"), "\(difference)")
        #expect(refused != 0 && refusal.contains("line 2 is not lat,lon"), "\(refusal)")
    }
}
