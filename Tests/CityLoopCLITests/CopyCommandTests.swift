import CityLoopPostgres
import CityLoopSQLite
import Foundation
import Testing

/// `cityloop copy` as an operator runs it: a demo city with a signed checkpoint moved to another database, verified
/// there against that checkpoint; refused into a non-empty target or onto itself; killed halfway and run again.
@Suite("Copy command")
struct CopyCommandTests {
    /// A scratch folder holding a demo city in `city/` (its ledger key and checkpoint log beside it).
    final class Scratch: @unchecked Sendable {
        let root: URL
        var city: URL { root.appendingPathComponent("city") }
        var checkpoints: String { root.appendingPathComponent("city.checkpoints.jsonl").path }
        let publicKey: String

        init(cases: Int = 200) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-copycli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let city = root.appendingPathComponent("city")
            let (demo, demoOutput) = try ServerProcess.run(
                ["demo", "--scale", String(cases), "--lang", "en", "--data", city.path, "--demo-password", "copy-cli-pass-1"])
            guard demo == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["output": demoOutput]) }
            let (signed, signedOutput) = try ServerProcess.run(["ledger", "checkpoint", "--lang", "en", "--data", city.path])
            guard signed == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["output": signedOutput]) }
            publicKey = try ServerProcess.run(["ledger", "public-key", "--data", city.path]).1.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func folder(_ name: String) -> String { root.appendingPathComponent(name).path }
    }

    @Test func aCityMovesAndVerifiesAgainstItsCheckpoint() async throws {
        // setup
        let s = try Scratch()
        // MUT
        let (status, output) = try ServerProcess.run(["copy", "--from", s.city.path, "--to", "sqlite:" + s.folder("moved"), "--lang", "en", "--checkpoints", s.checkpoints])
        let (verify, verifyOutput) = try ServerProcess.run(
            ["verify", "--lang", "en", "--database", "sqlite:" + s.folder("moved"), "--data", s.folder("moved"), "--checkpoints", s.checkpoints, "--public-key", s.publicKey])
        // validate
        #expect(status == 0 && output.contains("0 problems") && output.contains("copy time"), "\(output)")
        let casesLine = output.split(separator: "\n").first { $0.hasPrefix("cases ") }.map(String.init) ?? ""
        #expect(casesLine.split(separator: " ").suffix(2) == ["200", "200"], "\(output)")
        #expect(output.contains("media files"))
        #expect(verify == 0 && verifyOutput.contains("checked 200 cases") && verifyOutput.contains("0 problems"), "\(verifyOutput)")
    }

    @Test func aNonEmptyTargetOrTheSourceItselfIsRefusedInOneLine() async throws {
        // setup
        let s = try Scratch(cases: 50)
        let (first, firstOutput) = try ServerProcess.run(["copy", "--from", s.city.path, "--to", s.folder("moved"), "--lang", "en"])
        #expect(first == 0, "\(firstOutput)")
        // MUT
        let (again, againOutput) = try ServerProcess.run(["copy", "--from", s.city.path, "--to", s.folder("moved"), "--lang", "en"])
        let (itself, itselfOutput) = try ServerProcess.run(["copy", "--from", s.city.path, "--to", "sqlite:" + s.city.path + "/cityloop.sqlite", "--lang", "en"])
        // validate
        #expect(again == 3 && againOutput.contains("refused: the target is not empty") && !againOutput.contains("Fatal"), "\(againOutput)")
        #expect(itself == 3 && itselfOutput.contains("the same database"), "\(itselfOutput)")
        #expect(itselfOutput.split(separator: "\n").count <= 2, "\(itselfOutput)")
    }

    @Test func anInterruptedCopyContinuesWhenRunAgain() async throws {
        // setup: one row per transaction; the copy stops after 50 committed pages, as an interruption would (a kill
        // at a fixed moment would race a copy that may already be done)
        let s = try Scratch(cases: 100)
        let target = s.folder("moved") + "/cityloop.sqlite"
        // MUT: interrupted, then run again
        let (stopped, stoppedOutput) = try ServerProcess.run(
            ["copy", "--from", s.city.path, "--to", "sqlite:" + target, "--lang", "en", "--page-size", "1", "--stop-after-pages", "50"])
        let store = try SQLiteStore(path: target, migrate: false)
        let position = try await store.copyProgress()
        try store.close()
        let (status, output) = try ServerProcess.run(["copy", "--from", s.city.path, "--to", "sqlite:" + target, "--lang", "en"])
        // validate
        #expect(stopped == 4, "\(stoppedOutput)")
        #expect(position != nil, "no copy position was committed")
        #expect(status == 0 && output.contains("continued an unfinished copy") && output.contains("0 problems"), "\(output)")
        #expect(!output.contains("≠"), "\(output)")
    }

    @Test(.enabled(if: testPostgresServer != nil))
    func aCityMovesToPostgreSQLAndBack() async throws {
        // setup
        let server = try #require(testPostgresServer)
        let s = try Scratch(cases: 150)
        let name = "cityloop_copy_\(UUID().uuidString.prefix(8).lowercased())"
        try await PostgresStore.createDatabase(named: name, onServerOf: server)
        let url = try PostgresStore.url(server, database: name)
        // MUT
        let (there, thereOutput) = try ServerProcess.run(["copy", "--from", s.city.path, "--to", url, "--lang", "en", "--checkpoints", s.checkpoints])
        let (verify, verifyOutput) = try ServerProcess.run(
            ["verify", "--lang", "en", "--database", url, "--data", s.folder("pg"), "--checkpoints", s.checkpoints, "--public-key", s.publicKey])
        let (back, backOutput) = try ServerProcess.run(["copy", "--from", url, "--to", s.folder("back"), "--lang", "en", "--checkpoints", s.checkpoints, "--public-key", s.publicKey])
        // validate
        #expect(there == 0 && thereOutput.contains("0 problems"), "\(thereOutput)")
        #expect(verify == 0 && verifyOutput.contains("checked 150 cases") && verifyOutput.contains("0 problems"), "\(verifyOutput)")
        #expect(back == 0 && backOutput.contains("0 problems") && !backOutput.contains("≠"), "\(backOutput)")
        try? await PostgresStore.dropDatabase(named: name, onServerOf: server)
    }
}
