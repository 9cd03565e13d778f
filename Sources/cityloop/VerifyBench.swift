import CityLoopDomain
import CityLoopServices
import Foundation

extension BenchCommand {
    /// Verifying the whole city's history (per-case chains, rows against events, events against the ledger, the
    /// ledger's chain and a fresh signed checkpoint), beside the old per-case chain check alone.
    func verifyBench() async throws {
        // SQLite's figure (a PostgreSQL city is verified by `cityloop verify --database`).
        let city = try await demoCity(.sqlite)
        do {
            try await verifyFigures(city.platform, folder: city.folder)
        } catch {
            await city.dispose()
            throw error
        }
        await city.dispose()
    }

    private func verifyFigures(_ platform: Platform, folder: URL) async throws {
        let key = try LedgerKey.loadOrCreate(path: folder.appendingPathComponent("bench.ledger-key").path)
        let log = CheckpointLog(path: folder.appendingPathComponent("bench-\(UUID().uuidString).checkpoints.jsonl").path)
        defer { try? FileManager.default.removeItem(atPath: log.path) }
        _ = try await LedgerService(platform: platform, key: key, log: log).checkpoint()

        var started = Date()
        let report = try await CaseService(platform: platform).verifyHistory(checkpoints: log, publicKey: key.publicKey)
        let seconds = Date().timeIntervalSince(started)

        started = Date()
        let hasher = platform.hasher
        let old = Counter()
        try await platform.store.forEachCase(batchSize: 2000) { batch in
            for (c, events) in batch where !ChainVerifier.problems(case: c, events: events, hasher: hasher).isEmpty { old.add() }
        }
        let reference = Date().timeIntervalSince(started)
        print("== verify: \(report.cases) cases, \(report.events) events, \(report.problems.count) problems ==")
        row("full verification", String(format: "%.1f s", seconds), String(format: "per-case chains only %.1f s", reference),
            String(format: "%.2fx of target 60 s", seconds / 60))
        row("events/s", String(format: "%.0f", Double(report.events) / seconds), "", "")
        row("peak memory", peakMemoryMiB().map { String(format: "%.0f MiB", $0) } ?? "n/a", "", "")
    }
}
