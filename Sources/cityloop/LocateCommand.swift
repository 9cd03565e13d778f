import ArgumentParser
import CityLoopDomain
import CityLoopServices
import Foundation

/// `cityloop locate`: the unit grid of each point of a CSV file, or their agreement with a reference.
struct LocateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate", abstract: "Find the unit grid of each point in a CSV file (点位落格).",
        discussion: """
            The file has a header and the columns lat,lon (WGS84 degrees), optionally a third column with the expected
            grid code (empty: outside every grid). Without --expect, prints lat,lon,grid for every point. With --expect,
            prints how many points agree with the third column, the first disagreements, and the look-up rate
            (`scripts/realmap-check.py` writes such a file from real boundaries, with shapely's answers).
            """)
    @OptionGroup var options: DataOptions
    @Argument(help: "CSV file with lat,lon[,expected grid] ('-' for standard input).") var file: String
    @Flag(help: "Compare with the expected grid in the third column and print the agreement.") var expect = false

    func run() async throws {
        let settings = try await options.settings()
        let m = settings.messages
        let (platform, _) = try await settings.openPlatform()
        let map = platform.context.map
        guard let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file) else {
            throw ValidationError(m.t("读不到文件 \(file)", "cannot read \(file)"))
        }
        let records = CSVReader.records(String(decoding: data, as: UTF8.self)).dropFirst()
        var points: [(GeoPoint, String?)] = []
        points.reserveCapacity(records.count)
        for record in records {
            let row = record.fields
            guard record.error == nil, row.count >= 2, let lat = Double(row[0]), let lon = Double(row[1]), (-90...90).contains(lat),
                (-180...180).contains(lon)
            else { throw ValidationError(m.t("第 \(record.line) 行不是 lat,lon", "line \(record.line) is not lat,lon")) }
            points.append((GeoPoint(lat: lat, lon: lon), row.count > 2 ? row[2] : nil))
        }
        let clock = ContinuousClock()
        var found: [String?] = []
        found.reserveCapacity(points.count)
        let elapsed = clock.measure {
            for (p, _) in points { found.append(map.grid(at: p)?.code) }
        }
        guard expect else {
            var out = "lat,lon,grid\n"
            for ((p, _), g) in zip(points, found) { out += "\(p.lat),\(p.lon),\(g ?? "")\n" }
            FileHandle.standardOutput.write(Data(out.utf8))
            return
        }
        var agree = 0
        var inside = 0
        var differences: [String] = []
        for ((p, expected), g) in zip(points, found) {
            let want = (expected ?? "").isEmpty ? nil : expected
            if want != nil { inside += 1 }
            if want == g {
                agree += 1
            } else if differences.count < 10 {
                differences.append("  \(p.lat),\(p.lon): \(g ?? "-") ≠ \(want ?? "-")")
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(m.t("\(points.count) 个点（\(inside) 个在网格内），\(map.grids.count) 个网格：一致 \(agree)，不一致 \(points.count - agree)",
                  "\(points.count) points (\(inside) inside a grid), \(map.grids.count) grids: \(agree) agree, \(points.count - agree) differ"))
        for d in differences { print(d) }
        print(m.t("查找速度 \(Int(Double(points.count) / max(seconds, 1e-9))) 次/秒（单核）", "look-ups: \(Int(Double(points.count) / max(seconds, 1e-9)))/s (one core)"))
        if agree != points.count { throw ExitCode(1) }
    }
}
