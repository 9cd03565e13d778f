import CityLoopDemo
import CityLoopDomain
import CityLoopServices
import CityLoopTestSupport
import Foundation
import Testing

/// Moving a city between real stores (`CityCopy`): a small demo city with a session, an API key and a signed
/// checkpoint is copied SQLite → SQLite always, SQLite → PostgreSQL and back when the test server runs; the target
/// holds the same rows, verifies against the source's checkpoint, signs the source's users in and ranks alike.
@Suite("City copy")
struct CityCopyTests {
    static let password = "copy-Test-pw-2026"

    /// A demo city on a store, with what the copy must carry over.
    struct SourceCity {
        let platform: Platform
        let apiKey: String
        let key: LedgerKey
        let log: CheckpointLog
    }

    /// Installs a small demo city, signs a user in (a session and a sign-in record), makes an API key and signs a
    /// checkpoint of the ledger.
    static func makeCity(on store: any CityStore, folder: URL) async throws -> SourceCity {
        let platform = try await Platform(store: store, media: InMemoryMediaStore())
        _ = try await DemoCity.install(into: platform, seed: 11, scale: .forCases(150), password: password)
        let accounts = AccountService(platform: platform)
        _ = try await accounts.login(username: "operator", password: password, address: "10.0.0.9")
        let apiKey = try await accounts.createAPIToken(userID: "u-operator", label: "partner")
        let key = try LedgerKey.loadOrCreate(path: folder.appendingPathComponent("ledger.key").path)
        let log = CheckpointLog(path: folder.appendingPathComponent("checkpoints.jsonl").path)
        _ = try await LedgerService(platform: platform, key: key, log: log).checkpoint()
        // Devices with readings (numbers and states), rule states, alarms up and cleared, and a refused reading.
        try await store.saveDevices(DeviceIngestTests.devices())
        let ingest = DeviceIngest(platform: platform)
        let cover = { (s: Double, state: String) in
            RawReading(deviceID: "mc-1", measurement: "coverState", at: DeviceIngestTests.t0.addingTimeInterval(s), state: state)
        }
        _ = try await ingest.ingest([cover(0, "open"), DeviceIngestTests.distance(0, 3.4), DeviceIngestTests.distance(30, 99)])
        _ = try await ingest.ingest([cover(60, "closed"), DeviceIngestTests.distance(60, 3.3)])
        return SourceCity(platform: platform, apiKey: apiKey, key: key, log: log)
    }

    /// Every row of every copied table, in key order.
    static func allRows(_ store: any CityCopyStore) async throws -> [String: [[CopyValue]]] {
        var out: [String: [[CopyValue]]] = [:]
        for table in CopyTable.city {
            var rows: [[CopyValue]] = []
            while true {
                let page = try await store.copyRows(table, after: rows.last.map(table.key(of:)), limit: 1000)
                if page.isEmpty { break }
                rows += page
            }
            out[table.name] = rows
        }
        return out
    }

    /// Runs `body` with two fresh stores of the kinds, and a scratch folder.
    static func withStores(_ from: StoreKind, _ to: StoreKind, _ body: (any CityStore, any CityStore, URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStore(from) { source in try await withStore(to) { target in try await body(source, target, folder) } }
    }

    static var pairs: [(StoreKind, StoreKind)] {
        StoreFactory.postgresURL == nil ? [(.sqlite, .sqlite)] : [(.sqlite, .sqlite), (.sqlite, .postgres), (.postgres, .sqlite)]
    }

    /// What the user notices after a move: the same rows everywhere, history that verifies against the checkpoint
    /// signed before the move, the same ledger head, cases and events, sign-in and API key, and the same rankings.
    static func expectSameCity(_ city: SourceCity, source: any CityStore, target: any CityStore) async throws {
        let sourceRows = try await allRows(source as! any CityCopyStore)
        let targetRows = try await allRows(target as! any CityCopyStore)
        for table in CopyTable.city {
            #expect(sourceRows[table.name] == targetRows[table.name], "table \(table.name)")
        }
        #expect(sourceRows["cases"]?.count == 150 && (sourceRows["tokens"]?.count ?? 0) >= 2 && (sourceRows["login_attempts"]?.count ?? 0) >= 1)
        for table in ["devices", "device_readings", "device_rule_states", "device_alarms", "device_seen", "device_rejections"] {
            #expect(!(sourceRows[table] ?? []).isEmpty, "table \(table)")
        }

        let moved = try await Platform(store: target, media: InMemoryMediaStore())
        let report = try await CaseService(platform: moved).verifyHistory(checkpoints: city.log, publicKey: city.key.publicKey)
        #expect(report.problems.isEmpty && report.cases == 150, "\(report.problems.prefix(5))")
        let (sourceHead, _, events) = try await source.ledgerStatus()
        let (targetHead, _, _) = try await target.ledgerStatus()
        #expect(sourceHead == targetHead && report.events == events)

        var q = CaseQuery()
        q.limit = 500
        let cases = try await source.cases(q).items
        #expect(try await target.cases(q).items == cases)
        for c in cases.prefix(20) { #expect(try await target.events(caseID: c.id) == (try await source.events(caseID: c.id))) }

        let accounts = AccountService(platform: moved)
        let (_, user, _) = try await accounts.login(username: "operator", password: password, address: "10.0.0.10")
        #expect(user.id == "u-operator")
        #expect(try await accounts.authenticate(token: city.apiKey).id == "u-operator")

        let today = Int(Date().timeIntervalSince1970 / 86400)
        let period = EvaluationPeriod(kind: .custom, firstDay: today - 400, lastDay: today)
        #expect(try await EvaluationService(platform: moved).reports(period: period) == (try await EvaluationService(platform: city.platform).reports(period: period)))
    }

    @Test(arguments: pairs)
    func aCityMovesWhole(from: StoreKind, to: StoreKind) async throws {
        try await Self.withStores(from, to) { source, target, folder in
            // setup
            let city = try await Self.makeCity(on: source, folder: folder)
            // MUT
            let summary = try await CityCopy(source: source as! any CityCopyStore, target: target as! any CityCopyStore, sourceName: "source", pageSize: 64).run()
            // validate
            #expect(!summary.resumed && summary.counts.allSatisfy { $0.source == $0.target }, "\(summary.counts)")
            #expect(try await (target as! any CityCopyStore).copyProgress() == nil)
            try await Self.expectSameCity(city, source: source, target: target)
        }
    }

    @Test(arguments: pairs)
    func anInterruptedCopyContinuesWhereItStopped(from: StoreKind, to: StoreKind) async throws {
        try await Self.withStores(from, to) { source, target, folder in
            // setup
            let city = try await Self.makeCity(on: source, folder: folder)
            let copier = CityCopy(source: source as! any CityCopyStore, target: target as! any CityCopyStore, sourceName: "source", pageSize: 40)
            // MUT: stopped in the middle of the cases, then run again
            await #expect(throws: CityCopy.Stopped.self) { _ = try await copier.run(stopAfterPages: 16) }
            let stopped = try #require(try await (target as! any CityCopyStore).copyProgress())
            let partial = try await (target as! any CityCopyStore).copyCount(CopyTable.city.first { $0.name == "cases" }!)
            await #expect(throws: CityCopy.Refusal.self) {
                _ = try await CityCopy(source: source as! any CityCopyStore, target: target as! any CityCopyStore, sourceName: "another").run()
            }
            let summary = try await copier.run()
            // validate
            #expect(stopped.source == "source" && partial < 150)
            #expect(summary.resumed && summary.counts.allSatisfy { $0.source == $0.target }, "\(summary.counts)")
            try await Self.expectSameCity(city, source: source, target: target)
        }
    }

    @Test func aTargetHoldingACityIsRefusedAndLeftAlone() async throws {
        try await Self.withStores(.sqlite, .sqlite) { source, target, folder in
            // setup
            _ = try await Self.makeCity(on: source, folder: folder)
            let other = try await Platform(store: target, media: InMemoryMediaStore())
            _ = try await DemoCity.install(into: other, seed: 3, scale: .forCases(20), password: Self.password)
            let before = try await Self.allRows(target as! any CityCopyStore)
            // MUT
            do {
                _ = try await CityCopy(source: source as! any CityCopyStore, target: target as! any CityCopyStore, sourceName: "source").run()
                Issue.record("a target holding a city was written to")
            } catch let e as CityCopy.Refusal {
                // validate
                #expect(e.message.contains("not empty"), "\(e.message)")
            }
            #expect(try await Self.allRows(target as! any CityCopyStore) == before)
        }
    }
}
