import CityLoopDomain
import CityLoopPostgres
import CityLoopServices
import Foundation
import Testing

/// Two nodes on one PostgreSQL database: reference data changed on one is in force on the other, and the
/// other's live feed shows changes made through the first (LISTEN/NOTIFY).
@Suite("Change bus across nodes", .enabled(if: StoreFactory.postgresURL != nil))
struct ChangeBusTests {
    @Test func referenceDataAndLiveItemsReachTheOtherNode() async throws {
        let database = try await StoreFactory.makePostgresDatabase()
        let first = try await PostgresStore(url: database.url)
        let second = try await PostgresStore(url: database.url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-bus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = try await Platform(store: first, media: try FileMediaStore(root: folder.appendingPathComponent("a")))
        let b = try await Platform(store: second, media: try FileMediaStore(root: folder.appendingPathComponent("b")))
        #expect(a.nodeID != b.nodeID)
        let relays = [a, b].map { p in Task { await p.changes.run { await p.apply($0) } } }
        defer {
            for r in relays { r.cancel() }
            first.close()
            second.close()
            Task { await database.drop() }
        }
        let (stream, cancel) = b.live.subscribe()
        defer { cancel() }

        // MUT: a department added on node A; a live item published on node A (once both relays listen)
        try await Self.waitFor("node B to hear node A") {
            try await AdminService(platform: a).saveDepartments([Department(id: DepartmentID("probe-\(UUID().uuidString.prefix(4).lowercased())"), name: "探测", nameEn: "Probe")])
            return b.context.departments.keys.contains { $0.rawValue.hasPrefix("probe-") }
        }
        try await AdminService(platform: a).saveDepartments([Department(id: "water", name: "水务局", nameEn: "Water")])
        a.live.publish(LiveItem(event: LiveEvent(alert: "bus-test", severity: "major", matterCode: "06", areaCode: nil, at: Date()), record: nil as CaseRecord?))

        // validate: B's context has the department, B's consoles see A's item
        try await Self.waitFor("the department on node B") { b.context.departments["water"]?.nameEn == "Water" }
        let received = try await Self.first(of: stream) { $0.event.id == "bus-test" }
        #expect(received?.event.action == "major" && received?.event.type == "alert")
    }

    static func waitFor(_ what: String, seconds: Double = 60, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)")
    }

    static func first(of stream: AsyncStream<LiveItem>, seconds: Double = 60, where match: @escaping @Sendable (LiveItem) -> Bool) async throws -> LiveItem? {
        try await withThrowingTaskGroup(of: LiveItem?.self) { group in
            group.addTask {
                for await item in stream where match(item) { return item }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let r = try await group.next() ?? nil
            group.cancelAll()
            return r
        }
    }
}
