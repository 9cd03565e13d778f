import CityLoopDemo
import CityLoopDomain
import CityLoopPostgres
import CityLoopServices
import Foundation
import Testing

/// Several nodes on one PostgreSQL database (two stores, two pools, two sessions: two nodes): one leads each
/// once-per-city task and the lead moves when it goes; an API key's limit and the sign-in throttle hold across
/// them; an alert made into a task on both at once makes one task.
@Suite("Several nodes on one database", .enabled(if: StoreFactory.postgresURL != nil), .serialized)
struct SeveralNodesTests {
    /// Two stores on a fresh database; dropped after `body`.
    static func twoNodes(_ body: (PostgresStore, PostgresStore, String) async throws -> Void) async throws {
        let database = try await StoreFactory.makePostgresDatabase()
        let first = try await PostgresStore(url: database.url)
        let second = try await PostgresStore(url: database.url)
        do {
            try await body(first, second, database.url)
        } catch {
            first.close()
            second.close()
            await database.drop()
            throw error
        }
        first.close()
        second.close()
        // Let the closed sessions end before the database is dropped.
        try? await Task.sleep(for: .milliseconds(200))
        await database.drop()
    }

    static func platform(_ store: PostgresStore, clock: any CityClock = SystemClock()) async throws -> Platform {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-nodes-\(UUID().uuidString)")
        return try await Platform(store: store, media: try FileMediaStore(root: folder), clock: clock, passwords: Passwords(cost: 4))
    }

    /// Polls `condition` until it holds (true) or the deadline passes (false).
    static func eventually(seconds: Double = 90, _ condition: () async -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    @Test func oneNodeLeadsAndTheLeadMovesWhenItsSessionEndsOrItResigns() async throws {
        try await Self.twoNodes { a, b, url in
            // MUT: both try; the first leads, the second does not
            #expect(try await a.tryLead("ledger checkpoints"))
            #expect(!(try await b.tryLead("ledger checkpoints")))
            #expect(try await a.tryLead("ledger checkpoints"), "the leader keeps the lead")
            #expect(try await b.tryLead("early-warning scan"), "each task has its own lead")
            #expect(!(try await a.tryLead("early-warning scan")))

            // MUT: the server ends A's leadership session (as when its connection breaks)
            let key = UInt32(bitPattern: PostgresStore.leadershipLockKey("ledger checkpoints"))
            try await b.executeForTesting(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = \(PostgresStore.leadershipLockClass) "
                    + "AND objid = \(key) AND objsubid = 2 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
            // validate: A finds its session gone and stops leading; B takes the task at one of its next attempts
            let aLost = try await Self.eventually { ((try? await a.tryLead("ledger checkpoints")) ?? false) == false }
            #expect(aLost)
            let bTook = try await Self.eventually { (try? await b.tryLead("ledger checkpoints")) ?? false }
            #expect(bTook)
            #expect(!(try await a.tryLead("ledger checkpoints")), "A, on a new session, finds the task led")

            // MUT: B resigns (a graceful shutdown): A leads at its next attempt
            try await b.resign("ledger checkpoints")
            #expect(try await a.tryLead("ledger checkpoints"))

            // MUT: A's store closes (the process ends): a third node takes the task
            let c = try await PostgresStore(url: url)
            defer { c.close() }
            #expect(!(try await c.tryLead("ledger checkpoints")))
            a.close()
            let cTook = try await Self.eventually { (try? await c.tryLead("ledger checkpoints")) ?? false }
            #expect(cTook)
        }
    }

    @Test func anAPIKeysLimitHoldsAcrossNodes() async throws {
        try await Self.twoNodes { first, second, _ in
            let clock = FixedClock(Date(timeIntervalSince1970: 1_800_000_000))
            let (a, b) = (try await Self.platform(first, clock: clock), try await Self.platform(second, clock: clock))
            let partner = User(id: "u-partner", username: "partner", displayName: "合作方", role: .partner)
            try await AccountService(platform: a).saveUser(partner, password: nil)
            let key = try await AccountService(platform: a).createAPIToken(userID: partner.id, label: "partner", ratePerMinute: 4)
            let services = [a, b].map { GeoReportService(platform: $0, options: GeoReportOptions(), limiter: RateLimiter(store: $0.store, clock: clock)) }

            // MUT: four requests, two through each node, then a fifth
            for i in 0..<4 { #expect(try await services[i % 2].caller(apiKey: key)?.userID == partner.id) }
            var refused: DomainError?
            do { _ = try await services[0].caller(apiKey: key) } catch let e as DomainError { refused = e }

            // validate: the fifth is refused with the time to wait (a request comes back every 15 s)
            #expect(refused?.kind == .rateLimited && refused?.retryAfter == 15, "\(String(describing: refused))")
            clock.advance(by: 15)
            #expect(try await services[1].caller(apiKey: key)?.userID == partner.id)
        }
    }

    @Test func theSignInThrottleHoldsAcrossNodes() async throws {
        try await Self.twoNodes { first, second, _ in
            let (a, b) = (try await Self.platform(first), try await Self.platform(second))
            let user = User(id: "u-op", username: "operator1", displayName: "受理员", role: .operator)
            try await AccountService(platform: a).saveUser(user, password: "right-password-1")
            let throttle = LoginThrottle()
            // MUT: the account's allowance of failures spent on node A
            for _ in 0..<throttle.accountFailures {
                await #expect(throws: DomainError.self) {
                    _ = try await AccountService(platform: a).login(username: "operator1", password: "wrong-password", address: "10.0.0.1")
                }
            }
            // validate: node B refuses even the right password, from another address
            await #expect(throws: LoginLockout.self) {
                _ = try await AccountService(platform: b).login(username: "operator1", password: "right-password-1", address: "10.0.0.2")
            }
        }
    }

    @Test func anAlertMadeATaskOnTwoNodesAtOnceMakesOneTask() async throws {
        try await Self.twoNodes { first, second, _ in
            let a = try await Self.platform(first)
            _ = try await DemoCity.install(into: a, scale: .tiny, password: "test-password-1")
            let b = try await Self.platform(second)
            // setup: a report today in a grid, and alerts on its class for today (as a scan would raise them)
            let grid = try #require(a.context.map.grids.first { $0.code.hasPrefix("410102") })
            let point = grid.boundary.interiorPoint
            _ = try await CaseService(platform: a).report(
                ReportInput(matterCode: "06001", description: "垃圾满溢 overflowing bin", lat: point.lat, lon: point.lon), actor: Actor.system)
            let today = EvaluationFacts.day(of: Date(), utcOffsetSeconds: EvaluationFacts.utcOffsetSeconds)
            let start = Date(timeIntervalSince1970: Double(today) * 86_400 - Double(EvaluationFacts.utcOffsetSeconds))
            let alerts = (0..<4).map { i in
                WarningRecord(
                    areaCode: "", areaName: "全市", matterCode: "06", matterName: "市容环境",
                    alert: EarlyWarningAlert(
                        window: DateInterval(start: start, duration: 86_400), observed: 9, expected: 2, ratio: 4.5, pValue: 0.001, severity: .warning),
                    raisedAt: Date(), firstDay: today - i)
            }
            _ = try await first.saveNewAlerts(alerts, keeping: ForecastService.keptAlerts)

            for alert in alerts {
                // MUT: both nodes make the alert a task at once
                async let x = Self.outcome { try await ForecastService(platform: a).makeTask(alertID: alert.id, by: Actor.system) }
                async let y = Self.outcome { try await ForecastService(platform: b).makeTask(alertID: alert.id, by: Actor.system) }
                let outcomes = await [x, y]

                // validate: one task case; every node that succeeded names it, one that did not was told 409
                let stored = try #require(try await second.alert(id: alert.id))
                let task = try #require(stored.taskCaseID)
                #expect(try await first.caseRecord(id: task) != nil)
                for o in outcomes {
                    switch o {
                    case .success(let r): #expect(r.taskCaseID == task)
                    case .failure(let e): #expect(e.kind == .conflict && e.code == "alert.changed", "\(e)")
                    }
                }
            }
            let tasks = try await first.cases({ var q = CaseQuery(); q.limit = 100; return q }()).items.filter { $0.description.hasPrefix("【预警督查】") }
            #expect(tasks.count == alerts.count)
        }
    }

    static func outcome(_ body: () async throws -> WarningRecord) async -> Result<WarningRecord, DomainError> {
        do { return .success(try await body()) } catch let e as DomainError { return .failure(e) } catch {
            return .failure(DomainError(.corrupted, code: "unexpected", "\(error)"))
        }
    }
}
