import CityLoopDomain
import CityLoopHTTP
import CityLoopServices
import Foundation
import Testing

/// Once-per-city work runs only while this node leads it, and at once when it takes the lead; the node tells
/// operators which tasks it leads on /ready and /metrics.
@Suite struct PeriodicServiceTests {
    /// A store whose lead is switched by the test (another node leads while `leads` is false).
    final class SwitchedLead: LeadershipStore, @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var leads: Bool {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
        func tryLead(_ task: String) async throws -> Bool { leads }
        func resign(_ task: String) async throws {}
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.withLock { n += 1 } }
        var value: Int { lock.withLock { n } }
    }

    static func eventually(seconds: Double = 60, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func ledWorkRunsOnlyWhileThisNodeLeads() async throws {
        // setup: an hourly task led by a node that does not lead yet
        let store = SwitchedLead()
        let leadership = Leadership(store: store, node: "test-node")
        let runs = Counter()
        let service = PeriodicService("early-warning scan", every: .seconds(3600), ledBy: leadership) { runs.add() }
        let loop = Task { try await service.run() }
        defer { loop.cancel() }
        await leadership.attempt()
        #expect(leadership.tasks == ["early-warning scan": false])

        // MUT: another node leads for a while; then this one takes the lead
        try await Task.sleep(for: .seconds(2))
        let ranWhileFollowing = runs.value
        store.leads = true
        await leadership.attempt()

        // validate: nothing ran while following; the work runs as soon as the lead is taken, not an hour later
        #expect(ranWhileFollowing == 0)
        #expect(try await Self.eventually { runs.value == 1 })
        #expect(leadership.leads("early-warning scan"))
        store.leads = false
        await leadership.attempt()
        #expect(!leadership.leads("early-warning scan"))
    }

    @Test func readyAndMetricsTellWhichTasksThisNodeLeads() async throws {
        let city = try await TestCity.make()
        defer { try? FileManager.default.removeItem(at: city.folder) }
        // setup: the node's led tasks as `serve` registers them; on SQLite the one node leads them all
        _ = PeriodicService("ledger checkpoints", every: .seconds(60), ledBy: city.platform.leadership) {}
        await city.platform.leadership.attempt()
        try await LiveServer.run(router: buildRouter(platform: city.platform, role: .worker)) { client in
            let ready = try await client.execute(uri: "/ready", method: .get, headers: [:], body: nil)
            #expect(String(buffer: ready.body).contains(#""leads":{"ledger checkpoints":true}"#), "\(String(buffer: ready.body))")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: [:], body: nil).body)
            #expect(metrics.contains(#"cityloop_leader{task="ledger checkpoints"} 1"#), "\(metrics.prefix(3000))")
        }
    }
}
