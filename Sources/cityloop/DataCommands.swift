import ArgumentParser
import CityLoopDemo
import CityLoopDomain
import CityLoopSQLite
import CityLoopServices
import Foundation

/// `cityloop demo`: build the demo city into a data folder.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Build the demo city into the data folder (生成演示城市).")
    @OptionGroup var options: DataOptions
    @Option(help: "Demo size as a number of cases (e.g. 1000000).") var scale: Int?
    @Option(help: "Seed.") var seed: UInt64 = 20_260_701
    @Option(name: .customLong("demo-password"), help: "Password of the demo accounts (random and printed when absent).") var demoPassword: String?

    func run() async throws {
        let settings = try await options.settings()
        let m = settings.messages
        let (platform, _) = try await settings.openPlatform()
        let password = demoPassword ?? Passwords.randomPassword()
        try await DemoSetup.ensure(platform: platform, password: password, scale: scale, seed: seed, messages: m)
        if demoPassword == nil { print(m.t("演示账号密码: \(password)", "demo account password: \(password)")) }
        if let peak = peakMemoryMiB() { print(m.t("内存峰值 \(Int(peak)) MiB", "peak memory \(Int(peak)) MiB")) }
    }
}

/// What `import` and `export` work on.
enum DataKind: String, ExpressibleByArgument, CaseIterable {
    case grids, components, rules, places, devices, readings
}

/// `cityloop import`: load grids (GeoJSON), components (CSV or GeoJSON) or rules (JSON).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import grids (GeoJSON), components (CSV/GeoJSON), rules (JSON), places (CSV), devices (CSV/GeoJSON) or readings (CSV/JSON) (导入).",
        discussion: """
            Grids replace the whole area hierarchy after validation; components and devices are added with a report of \
            rejected rows. Readings are back-filled (历史数据补录): kept and deduplicated, counted when refused, never \
            run through the alarm rules (CSV: device,at,measurement,value[,unit] or device,at and a column per measurement).
            """)
    @OptionGroup var options: DataOptions
    @Argument(help: "grids, components, rules, places (the place table for geocoding: name,address,lat,lon), devices or readings") var kind: DataKind
    @Argument(help: "The file to import (grids: GeoJSON, or Shapefile .shp/.zip and GeoPackage .gpkg through GDAL's ogr2ogr).") var file: String
    @Option(help: "Coordinate system of the file: wgs84, cgcs2000, gcj02 or bd09 (default: the GeoJSON crs member, else wgs84).")
    var crs: CoordinateSystem?
    @Option(help: "Grids: also write every problem found (errors and warnings) as GeoJSON points to this file, for a GIS team.")
    var report: String?
    @Flag(help: "Grids: validate only, store nothing.") var check = false

    func run() async throws {
        let settings = try await options.settings()
        let m = settings.messages
        let (platform, _) = try await settings.openPlatform()
        let admin = AdminService(platform: platform)
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError(m.t("读不到文件 \(file)", "cannot read \(file)")) }
        switch kind {
        case .grids:
            let geoJSON = OGRConversion.handles(path: file) ? try OGRConversion.geoJSON(fromFile: file) : data
            let (areas, grids) = try GeoJSON.decodeAreas(geoJSON, crs: crs)
            progressLine(m.t("校验 \(grids.count) 个网格…", "validating \(grids.count) grids…"), done: true)
            let started = ContinuousClock.now
            let problems = GridValidator.validate(areas: areas.isEmpty ? Array(platform.context.map.areas.values) : areas, grids: grids)
            for p in problems { print("\(p.severity.rawValue)\t\(p.code)\t\(p.subject)\t\(p.message)") }
            if let report { try GeoJSON.encode(problems: problems).write(to: URL(fileURLWithPath: report)) }
            let errors = problems.filter(\.isError).count
            print(m.t("校验用时 \(ContinuousClock.now - started)：\(errors) 个错误，\(problems.count - errors) 个警告", "validated in \(ContinuousClock.now - started): \(errors) errors, \(problems.count - errors) warnings"))
            if errors > 0 { throw ValidationError(m.t("发现 \(errors) 个错误，未导入", "\(errors) errors found; nothing imported")) }
            if check { return }
            try await admin.importAreas(areas, grids: grids)
            print(m.t("已导入 \(areas.count) 个区域、\(grids.count) 个网格", "imported \(areas.count) areas and \(grids.count) grids"))
        case .components:
            let text = String(decoding: data, as: UTF8.self)
            var rows: [ComponentRow]
            var rejected: [ImportReport.Rejection] = []
            if text.trimmingCharacters(in: .whitespaces).hasPrefix("{") {
                rows = try GeoJSON.decodeComponents(data, crs: crs)
            } else {
                (rows, rejected) = ComponentCSV.decode(text, crs: crs ?? .wgs84)
            }
            var accepted = 0
            let chunk = 10_000
            for start in stride(from: 0, to: rows.count, by: chunk) {
                let r = try await admin.importComponents(Array(rows[start..<min(start + chunk, rows.count)]), at: Date())
                accepted += r.accepted
                rejected += r.rejected.map { var x = $0; x.row += start; return x }
                progressLine(m.t("部件 \(min(start + chunk, rows.count))/\(rows.count)", "components \(min(start + chunk, rows.count))/\(rows.count)"))
            }
            progressLine("", done: true)
            for r in rejected { print("row \(r.row)\t\(r.id)\t\(r.problems.joined(separator: "; "))") }
            print(m.t("导入 \(accepted) 个部件，拒绝 \(rejected.count) 行", "imported \(accepted) components, rejected \(rejected.count) rows"))
        case .rules:
            let rules = try JSONDecoder().decode([ResponsibilityRule].self, from: data)
            try await admin.replaceRules(rules)
            print(m.t("已导入 \(rules.count) 条权责规则", "imported \(rules.count) responsibility rules"))
        case .places:
            let (imported, rejected) = try await PlacementService(platform: platform).importPlaces(csv: String(decoding: data, as: UTF8.self), crs: crs ?? .wgs84, actor: Self.cli)
            for r in rejected { print("line \(r.line)\t\(r.reason)") }
            print(m.t("已导入 \(imported) 个地名地址，拒绝 \(rejected.count) 行", "imported \(imported) places, rejected \(rejected.count) rows"))
        case .devices:
            let registry = DeviceRegistry(platform: platform)
            let result = Self.isJSON(data)
                ? try await registry.importGeoJSON(data, crs: crs ?? .wgs84, actor: Self.cli)
                : try await registry.importCSV(String(decoding: data, as: UTF8.self), crs: crs ?? .wgs84, actor: Self.cli)
            for r in result.rejected { print("line \(r.line)\t\(r.field ?? "")\t\(r.reason)") }
            print(m.t("已导入 \(result.imported) 台设备，拒绝 \(result.rejected.count) 行", "imported \(result.imported) devices, rejected \(result.rejected.count) rows"))
        case .readings:
            let (raws, problems) = Self.isJSON(data) ? try ReadingFile.json(data) : try ReadingFile.csv(String(decoding: data, as: UTF8.self))
            let refused = problems.compactMap { p in p.device.map { ReadingRejection(malformed: $0, "line \(p.line): \(p.field): \(p.message)") } }
            let total = raws.count
            let result = try await platform.deviceIngest.backfill(raws, refused: refused) { done in
                if done % 50_000 < 5000 || done == total { progressLine(m.t("读数 \(done)/\(total)", "readings \(done)/\(total)")) }
            }
            progressLine("", done: true)
            for p in problems.prefix(100) { print("line \(p.line)\t\(p.device ?? "")\t\(p.field)\t\(p.message)") }
            let refusedReadings = result.rejections.filter { $0.reason != ReadingRejection.Reason.malformed }
            for (reason, n) in Dictionary(grouping: refusedReadings, by: { $0.reason.rawValue }).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
                print("\(reason)\t\(n)")
            }
            print(m.t(
                "读数 \(result.accepted) 条通过，其中新存 \(result.stored) 条（含推算值）；拒绝 \(refusedReadings.count) 条，\(problems.count) 行无法读取",
                "\(result.accepted) readings accepted, \(result.stored) stored new (derived ones included); \(refusedReadings.count) refused, \(problems.count) lines unreadable"))
        }
    }

    private static let cli = Actor(userID: "cli", name: "cityloop import", role: .admin)

    private static func isJSON(_ data: Data) -> Bool {
        let first = data.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }
}

/// `cityloop export`: write grids, components or rules.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export grids (GeoJSON), components (CSV/GeoJSON), rules (JSON), places (CSV) or devices (CSV) (导出).")
    @OptionGroup var options: DataOptions
    @Argument(help: "grids, components, rules, places (the place table for geocoding: name,address,lat,lon) or devices") var kind: DataKind
    @Option(help: "Output file (default: standard output).") var out: String?
    @Option(help: "Components format: csv or geojson.") var format: String = "csv"

    func run() async throws {
        let (platform, store) = try await options.openPlatform()
        let data: Data
        switch kind {
        case .grids: data = try GeoJSON.encode(areas: try await store.areas(), grids: try await store.grids())
        case .places:
            data = Data(Place.csv(try await platform.store.places()).utf8)
        case .rules:
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            data = try enc.encode(platform.context.policy.responsibilities.rules)
        case .components:
            var all: [Component] = []
            var q = ComponentQuery()
            q.limit = 5000
            while true {
                let page = try await store.components(q)
                all += page.items
                if page.items.count < q.limit { break }
                q.offset += q.limit
            }
            data = format == "geojson" ? try GeoJSON.encode(components: all) : Data(ComponentCSV.encode(all).utf8)
        case .devices:
            var all: [Device] = []
            while true {
                let page = try await store.devices(after: all.last?.id, limit: 5000)
                all += page
                if page.count < 5000 { break }
            }
            data = Data(DeviceRegistry.csv(all).utf8)
        case .readings:
            throw ValidationError("readings are read back per device: GET /api/v1/devices/{id}/readings (raw or in buckets)")
        }
        if let out { try data.write(to: URL(fileURLWithPath: out)) } else { FileHandle.standardOutput.write(data) }
    }
}

/// `cityloop verify`: check the hash chains of all case history and the database's integrity.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify all case history against the city ledger and its signed checkpoints, and the database (校验案卷历史).",
        discussion: "Exits with status 1 when any stored history was edited, removed or inserted.")
    @OptionGroup var options: DataOptions
    @Option(help: "Checkpoint log to check the ledger against (default: the configured ledger.checkpoints, when it exists).")
    var checkpoints: String?
    @Option(name: .customLong("public-key"), help: "The base64 Ed25519 key checkpoints must be signed with (default: the ledger key's).")
    var publicKey: String?

    func run() async throws {
        let settings = try await options.settings()
        let m = settings.messages
        let (platform, store) = try await settings.openPlatform()
        // SQLite's own check of its file; a PostgreSQL server keeps its files itself.
        let integrity = try await (store as? SQLiteStore)?.integrityCheck() ?? "ok"
        let keyPath = settings.ledger.key(data: settings.dataFolder)
        // Verification never creates a key: without one, checkpoints can only be checked against --public-key.
        let trusted = try publicKey ?? (FileManager.default.fileExists(atPath: keyPath) ? LedgerKey.loadOrCreate(path: keyPath).publicKey : nil)
        let log = CheckpointLog(path: checkpoints ?? settings.ledger.checkpoints(data: settings.dataFolder))
        if checkpoints != nil, !FileManager.default.fileExists(atPath: log.path) {
            throw ValidationError(m.t("读不到检查点文件 \(log.path)", "cannot read the checkpoint log \(log.path)"))
        }
        let report = try await CaseService(platform: platform).verifyHistory(checkpoints: log, publicKey: trusted)
        for p in report.problems { print(p) }
        print(m.t(
            "已校验 \(report.cases) 个案件、\(report.events) 条记录；问题 \(report.problems.count) 个；数据库完整性：\(integrity)",
            "checked \(report.cases) cases and \(report.events) events; \(report.problems.count) problems; database integrity: \(integrity)"))
        if !report.problems.isEmpty || integrity != "ok" { throw ExitCode(1) }
    }
}
