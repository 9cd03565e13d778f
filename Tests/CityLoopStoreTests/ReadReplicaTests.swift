import CityLoopDemo
import CityLoopDomain
import CityLoopPostgres
import CityLoopServices
import CityLoopTestSupport
import Foundation
import Testing

/// Reads on a streaming replica (`--read-database`): the evaluation, analytics and screen queries go to the
/// replica once it has replayed what the primary had written when the read began, so a report is in the very next
/// read, on the replica; a replica that lags or fails leaves the read to the primary.
@Suite("Read replica")
struct ReadReplicaTests {
    /// The test replica's URL (`CITYLOOP_TEST_REPLICA`, set by scripts/test beside `CITYLOOP_TEST_DATABASE`).
    static var replicaServer: String? { ProcessInfo.processInfo.environment["CITYLOOP_TEST_REPLICA"].flatMap { $0.isEmpty ? nil : $0 } }

    @Test(.enabled(if: StoreFactory.postgresURL != nil && replicaServer != nil))
    func everyReportIsInTheNextReadOnTheReplica() async throws {
        // setup: a tiny demo city on the primary; the same database on the replica, once replication brought it
        let database = try await StoreFactory.makePostgresDatabase()
        let primary = try await PostgresStore(url: database.url)
        let name = try #require(database.url.split(separator: "/").last?.split(separator: "?").first.map(String.init))
        let replicaURL = try PostgresStore.url(try #require(Self.replicaServer), database: name)
        var opened: PostgresStore?
        let deadline = Date().addingTimeInterval(120)
        while opened == nil, Date() < deadline {
            opened = try? await PostgresStore(url: replicaURL, migrate: false)
            if opened == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let replica = try #require(opened, "the database never appeared on the replica")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-replica-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: folder)
            replica.close()
            primary.close()
            Task { await database.drop() }
        }
        let platform = try await Platform(
            store: primary, media: try FileMediaStore(root: folder), passwords: Passwords(cost: 4), replica: replica)
        _ = try await DemoCity.install(into: platform, scale: .tiny, password: "replica-pass-1")
        let grid = try #require(platform.context.map.grids.first)
        let point = grid.boundary.outer.reduce(GeoPoint(lat: 0, lon: 0)) { GeoPoint(lat: $0.lat + $1.lat / Double(grid.boundary.outer.count), lon: $0.lon + $1.lon / Double(grid.boundary.outer.count)) }
        let today = EvaluationFacts.day(of: platform.clock.now(), utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)
        let filter = CaseCountFilter(days: today...today)
        let cases = CaseService(platform: platform)
        let actor = Actor(userID: "u-operator", name: "operator", role: .operator)

        // MUT: twenty reports, each followed at once by a read through the router
        var seen: [(expected: Int, read: Int)] = []
        let before = try await primary.dailyCounts(filter)[today] ?? 0
        for i in 1...20 {
            _ = try await cases.report(
                ReportInput(matterCode: "06010", description: "replica \(i)", lat: point.lat, lon: point.lon, source: .hotline), actor: actor)
            let read = try await platform.reads.store().dailyCounts(filter)[today] ?? 0
            seen.append((before + i, read))
        }

        // validate: every read saw its report, and the replica served them
        #expect(seen.allSatisfy { $0.expected == $0.read }, "\(seen)")
        #expect(platform.reads.served.replica >= 15, "\(platform.reads.served)")
        #expect(try await replica.dailyCounts(filter)[today] == before + 20)
        #expect(try await platform.reads.replicaLag() != nil)
    }

    @Test func aLaggingOrFailingReplicaLeavesTheReadToThePrimary() async throws {
        let primary = PositionedStore(tag: 1, position: 100)
        // MUT: a replica behind the primary; one that caught up; one that fails; no replica
        let lagging = ReadRouter(primary: primary, replica: PositionedStore(tag: 2, position: 40), wait: .milliseconds(50))
        let caughtUp = ReadRouter(primary: primary, replica: PositionedStore(tag: 2, position: 100), wait: .milliseconds(50))
        let failing = ReadRouter(primary: primary, replica: PositionedStore(tag: 2, position: nil), wait: .milliseconds(50))
        let none = ReadRouter(primary: primary)

        // validate: who answered (the daily count carries the store's tag)
        func answer(_ router: ReadRouter) async throws -> Int? { try await router.store().dailyCounts(CaseCountFilter(days: 0...0))[0] }
        #expect(try await answer(lagging) == 1)
        #expect(try await answer(caughtUp) == 2)
        #expect(try await answer(failing) == 1)
        #expect(try await answer(none) == 1)
        #expect(lagging.served == (0, 1) && caughtUp.served == (1, 0) && failing.served == (0, 1))
        #expect(!none.hasReplica && lagging.hasReplica)
        #expect(try await lagging.replicaLag() == 60)
    }
}

/// A read store at a fixed replication position (nil: it fails) whose daily count is its tag, to tell who answered.
final class PositionedStore: ReadStore, ReplicationPosition, Sendable {
    let tag: Int
    let position: UInt64?
    let inner = InMemoryStore()
    init(tag: Int, position: UInt64?) {
        self.tag = tag
        self.position = position
    }

    func replicationPosition() async throws -> UInt64 {
        guard let position else { throw StoreError(.unavailable, "replica down") }
        return position
    }
    func dailyCounts(_ filter: CaseCountFilter) async throws -> [Int: Int] { [0: tag] }
    func gridMatterCounts(_ filter: CaseCountFilter) async throws -> [GridMatterCount] { try await inner.gridMatterCounts(filter) }
    func weekdayHourCounts(_ filter: CaseCountFilter) async throws -> [[Int]] { try await inner.weekdayHourCounts(filter) }
    func closedCases(_ query: ClosedCasesQuery) async throws -> [ClosedCase] { try await inner.closedCases(query) }
    func dashboard(_ query: DashboardQuery) async throws -> DashboardFigures { try await inner.dashboard(query) }
    func openCaseClusters(_ query: ClusterQuery) async throws -> [CaseCluster] { try await inner.openCaseClusters(query) }
    func evaluationCounts(days: ClosedRange<Int>, kinds: Set<EvaluationSubject.Kind>?) async throws -> EvaluationCounts {
        try await inner.evaluationCounts(days: days, kinds: kinds)
    }
    func evaluationCases(counter: EvaluationCounter, subject: EvaluationSubject, days: ClosedRange<Int>, after: String?, limit: Int)
        async throws -> [CaseSummary]
    {
        try await inner.evaluationCases(counter: counter, subject: subject, days: days, after: after, limit: limit)
    }
}
