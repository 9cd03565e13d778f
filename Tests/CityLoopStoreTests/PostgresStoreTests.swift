import CityLoopDomain
import CityLoopPostgres
import Foundation
import Testing

/// What only the PostgreSQL store has: its migrations, its errors on opening, and several stores (nodes) on one database. (Everything else is in the
/// conformance suites, which run on PostgreSQL when `CITYLOOP_TEST_DATABASE` is set.)
@Suite("PostgreSQL store: migrations, opening, two stores on one database", .enabled(if: StoreFactory.postgresURL != nil, "needs CITYLOOP_TEST_DATABASE (scripts/postgres)"))
struct PostgresStoreTests {
    /// Runs `body` with the URL of a new empty database, dropped afterwards.
    func withDatabase(_ body: (String) async throws -> Void) async throws {
        let database = try await StoreFactory.makePostgresDatabase()
        do {
            try await body(database.url)
            await database.drop()
        } catch {
            await database.drop()
            throw error
        }
    }

    /// The error `body` throws, nil when it returns.
    static func error(_ body: @Sendable () async throws -> Void) async -> (any Error)? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    @Test("opening migrates and records every shipped migration once; reopening applies nothing")
    func recorded() async throws {
        try await withDatabase { url in
            // MUT
            let first = try await PostgresStore(url: url)
            let applied = try await first.appliedMigrations()
            first.close()
            let second = try await PostgresStore(url: url)
            defer { second.close() }
            // validate
            #expect(applied.map(\.number) == PostgresMigration.shipped.map(\.number))
            #expect(applied.map(\.checksum) == PostgresMigration.shipped.map(\.checksum))
            #expect(PostgresMigration.shipped.count >= 6)
            #expect(try await second.migrate().isEmpty)
            #expect(try await second.pendingMigrations().isEmpty)
            #expect(try await second.appliedMigrations() == applied)
        }
    }

    @Test("without migrating, the pending migrations are listed and nothing is applied")
    func dryRun() async throws {
        try await withDatabase { url in
            let store = try await PostgresStore(url: url, migrate: false)
            defer { store.close() }
            #expect(try await store.pendingMigrations().map(\.number) == PostgresMigration.shipped.map(\.number))
            #expect(try await store.appliedMigrations().isEmpty)
            #expect(try await store.pendingMigrations().map(\.number) == PostgresMigration.shipped.map(\.number))
            let applied = try await store.migrate()
            #expect(applied.map(\.number) == PostgresMigration.shipped.map(\.number))
            #expect(try await store.pendingMigrations().isEmpty)
            #expect(try await store.caseCount() == 0)
        }
    }

    @Test("a schema migrated by a newer CityLoop is refused, with or without migrating")
    func newerSchema() async throws {
        try await withDatabase { url in
            // setup
            let store = try await PostgresStore(url: url)
            try await store.executeForTesting(
                "INSERT INTO schema_migrations (number, name, checksum, applied_at) VALUES (999, 'from_the_future', 'x', 0)")
            store.close()
            // MUT, validate
            for migrate in [true, false] {
                do {
                    let s = try await PostgresStore(url: url, migrate: migrate)
                    s.close()
                    Issue.record("a schema with migration 999 was opened")
                } catch let e as StoreError {
                    #expect(e.kind == .schemaTooNew)
                    #expect(e.message.contains("999"))
                    #expect(!e.message.contains("\n"))
                }
            }
        }
    }

    @Test("a changed migration is refused")
    func changedMigration() async throws {
        try await withDatabase { url in
            let store = try await PostgresStore(url: url)
            try await store.executeForTesting("UPDATE schema_migrations SET checksum = 'edited' WHERE number = 1")
            store.close()
            do {
                let s = try await PostgresStore(url: url)
                s.close()
                Issue.record("a changed migration was accepted")
            } catch let e as StoreError {
                #expect(e.kind == .migrationChanged)
            }
        }
    }

    @Test("stores opening one empty database at once all open, and each migration is applied once")
    func concurrentMigration() async throws {
        try await withDatabase { url in
            // MUT: three nodes start together.
            let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
                for _ in 0..<3 { group.addTask { try await PostgresStore(url: url) } }
                return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
            }
            defer { for s in stores { s.close() } }
            // validate
            for s in stores {
                #expect(try await s.appliedMigrations().map(\.number) == PostgresMigration.shipped.map(\.number))
                #expect(try await s.caseCount() == 0)
            }
        }
    }

    @Test("two stores on one database take reports at once: numbers unique and gapless, each request stored once, one ledger chain")
    func twoNodesIntake() async throws {
        try await withDatabase { url in
            // setup: two nodes; 30 reports, each sent to both nodes at once (a client retrying on the other node).
            let a = try await PostgresStore(url: url)
            let b = try await PostgresStore(url: url)
            defer {
                a.close()
                b.close()
            }
            let prefix = "E0600120260302"
            let reports = (0..<30).map { i in Fixture.newCase(createdAt: Fixture.at(Double(i)), clientRequestID: "req-\(i)") }
            // MUT
            let outcomes = try await withThrowingTaskGroup(of: CaseCreation.self) { group in
                for (record, first) in reports {
                    for node in [a, b] {
                        group.addTask { try await node.createCase(record, firstEvent: first, numberPrefix: prefix, nearby: nil) }
                    }
                }
                return try await group.reduce(into: [CaseCreation]()) { $0.append($1) }
            }
            // validate
            #expect(outcomes.count { $0.created } == 30)
            let byKey = Dictionary(grouping: outcomes, by: { $0.record.requestKey ?? "" })
            #expect(byKey.count == 30)
            for (_, answers) in byKey { #expect(Set(answers.map(\.record.number)).count == 1) }
            #expect(Set(outcomes.map(\.record.number)) == Set((1...30).map { prefix + String(zeroPadded: $0, width: 5) }))
            #expect(try await a.caseCount() == 30)
            let entries = try await b.ledgerEntries(after: 0, limit: 100)
            #expect(entries.map(\.seq) == Array(1...30))
            var previous = LedgerEntry.genesisHash
            for e in entries {
                #expect(e.isIntact(after: previous, hasher: Fixture.hasher))
                previous = e.hash
            }
        }
    }

    @Test("reports written together: one whose ID is taken fails alone with case.exists, the others are stored")
    func batchWithOneConflict() async throws {
        try await withDatabase { url in
            let store = try await PostgresStore(url: url)
            defer { store.close() }
            let prefix = "E0600120260302"
            let (taken, takenFirst) = Fixture.newCase()
            _ = try await store.createCase(taken, firstEvent: takenFirst, numberPrefix: prefix, nearby: nil)
            let (again, againFirst) = Fixture.newCase(id: taken.id, createdAt: Fixture.at(1))
            let others = (0..<20).map { Fixture.newCase(createdAt: Fixture.at(Double(2 + $0))) }
            // MUT: all at once, so they share transactions.
            let errors = await withTaskGroup(of: (any Error)?.self) { group in
                group.addTask { await Self.error { _ = try await store.createCase(again, firstEvent: againFirst, numberPrefix: prefix, nearby: nil) } }
                for (r, e) in others {
                    group.addTask { await Self.error { _ = try await store.createCase(r, firstEvent: e, numberPrefix: prefix, nearby: nil) } }
                }
                return await group.reduce(into: [(any Error)?]()) { $0.append($1) }
            }
            // validate
            let failures = errors.compactMap { $0 }
            #expect(failures.count == 1)
            #expect((failures.first as? DomainError)?.code == "case.exists")
            #expect(try await store.caseCount() == 21)
            for (r, _) in others { #expect(try await store.caseRecord(id: r.id) != nil) }
            #expect(try await store.events(caseID: taken.id) == [takenFirst])
        }
    }

    @Test("the transaction begun ahead for the next batch of reports is rolled back when no report comes, and reports go on after")
    func transactionAhead() async throws {
        try await withDatabase { url in
            let store = try await PostgresStore(url: url)
            defer { store.close() }
            let prefix = "E0600120260302"
            for round in 0..<2 {
                let (r, e) = Fixture.newCase(createdAt: Fixture.at(Double(round)))
                // MUT: a report, then nothing
                #expect(try await store.createCase(r, firstEvent: e, numberPrefix: prefix, nearby: nil).created)
                // validate: no session is left waiting inside a transaction
                #expect(try await SeveralNodesTests.eventually(seconds: 60) { (try? await store.sessionsIdleInTransaction()) == 0 })
            }
            #expect(try await store.caseCount() == 2)
        }
    }

    @Test("two stores acting on one case at the same version: one change wins, the other is told case.changed")
    func twoNodesConflict() async throws {
        try await withDatabase { url in
            let a = try await PostgresStore(url: url)
            let b = try await PostgresStore(url: url)
            defer {
                a.close()
                b.close()
            }
            let (record, first) = Fixture.newCase(source: .sensor)
            let stored = try await a.createCase(record, firstEvent: first, numberPrefix: "E0600120260302", nearby: nil).record
            let fromA = try Fixture.change(.file, on: stored, history: [first], actor: Fixture.operatorActor, at: Fixture.at(60))
            let fromB = try Fixture.change(.file, on: stored, history: [first], actor: Fixture.operatorActor, at: Fixture.at(61))
            // MUT
            async let ea = Self.error { try await a.commit([fromA]) }
            async let eb = Self.error { try await b.commit([fromB]) }
            let errors = await [ea, eb]
            // validate
            let failures = errors.compactMap { $0 as? DomainError }
            #expect(errors.count { $0 != nil } == 1)
            #expect(failures.count == 1)
            #expect(failures.first?.code == "case.changed")
            #expect(try await b.events(caseID: record.id).count == 2)
            #expect(try await a.caseRecord(id: record.id)?.version == stored.version + 1)
        }
    }

    @Test("text with tabs, newlines, carriage returns and backslashes comes back exactly from a bulk load (COPY)")
    func copyEscapes() async throws {
        try await withDatabase { url in
            let store = try await PostgresStore(url: url)
            defer { store.close() }
            var (record, first) = Fixture.newCase(source: .sensor)
            record.description = "a\tb\nc\\d\re \\N 中文 \u{7}"
            let stored = Fixture.stored(record, first, number: "E060012026030200001")
            try await store.bulkLoad([(stored, [first])])
            #expect(try await store.caseRecord(id: record.id) == stored)
            #expect(try await store.events(caseID: record.id) == [first])
        }
    }

    @Test("a bulk load into an empty city builds the secondary indexes at the end and holds autovacuum off meanwhile, also when it fails; opening restores both")
    func bulkLoadIndexes() async throws {
        try await withDatabase { url in
            let store = try await PostgresStore(url: url)
            let deferred: Set<String> = ["cases_state", "cases_grid", "cases_created", "cases_duplicate_cells", "cases_closed"]
            let histories = try CaseCorpus.generate(count: 40, seed: 9)
            // MUT: a load that fails half way.
            await #expect(throws: (any Error).self) {
                try await store.withBulkLoad {
                    #expect(try await store.indexNames(table: "cases").isDisjoint(with: deferred))
                    #expect(try await store.tablesWithoutAutovacuum() == ["cases", "case_events", "ledger", "case_facts", "case_reporters"])
                    try await store.bulkLoad(histories.prefix(20).map { ($0.record, $0.events) })
                    throw CancellationError()
                }
            }
            #expect(try await store.indexNames(table: "cases").isSuperset(of: deferred))
            #expect(try await store.tablesWithoutAutovacuum().isEmpty)
            // A store that is not empty keeps its indexes while loading.
            try await store.withBulkLoad {
                #expect(try await store.indexNames(table: "cases").isSuperset(of: deferred))
                try await store.bulkLoad(histories.suffix(20).map { ($0.record, $0.events) })
            }
            #expect(try await store.caseCount() == 40)
            // Lost indexes (a load cut short by a crash) come back when the store is opened.
            try await store.executeForTesting("DROP INDEX cases_state")
            try await store.executeForTesting("DROP INDEX ledger_event")
            try await store.executeForTesting("ALTER TABLE case_events SET (autovacuum_enabled = false)")
            store.close()
            let reopened = try await PostgresStore(url: url)
            defer { reopened.close() }
            #expect(try await reopened.tablesWithoutAutovacuum().isEmpty)
            #expect(try await reopened.indexNames(table: "cases").isSuperset(of: deferred.union(["cases_state"])))
            #expect(try await reopened.indexNames(table: "ledger").contains("ledger_event"))
        }
    }

    @Test("an unreachable server, a wrong password and a missing database are each told in one line")
    func openingErrors() async throws {
        let admin = try #require(StoreFactory.postgresURL)
        let server = try PostgresLocation(admin)
        // setup: a role that must give its password (scripts/postgres asks it for one).
        let setup = try await StoreFactory.make(.postgres)
        let store = try #require(setup.store as? PostgresStore)
        try await store.executeForTesting(
            """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cityloop_password_check') THEN
                    CREATE ROLE cityloop_password_check LOGIN PASSWORD 'right-password';
                END IF;
            END $$
            """)
        await setup.dispose()
        let host = server.host ?? "127.0.0.1"

        func expectError(_ url: String, _ code: StoreError.Kind, mentioning: String) async {
            do {
                let s = try await PostgresStore(url: url)
                s.close()
                Issue.record("\(url) opened")
            } catch let e as StoreError {
                #expect(e.kind == code, "\(url): \(e.message)")
                #expect(e.message.contains(mentioning), "\(e.message)")
                #expect(!e.message.contains("\n"))
                #expect(!e.message.contains("wrong-password"))
            } catch {
                Issue.record("\(url): \(error)")
            }
        }
        // MUT, validate
        await expectError("postgres://cityloop@127.0.0.1:1/cityloop?sslmode=disable", .unreachable, mentioning: "127.0.0.1:1")
        await expectError(
            "postgres://cityloop_password_check:wrong-password@\(host):\(server.port)/postgres?sslmode=disable", .authentication,
            mentioning: "cityloop_password_check")
        await expectError(
            "postgres://\(server.username)@\(host):\(server.port)/cityloop_absent_database?sslmode=disable", .missingDatabase,
            mentioning: "cityloop_absent_database")
        // The right password opens the database.
        let right = try await StoreFactory.makePostgresDatabase()
        let rightURL = try PostgresStore.url(
            "postgres://cityloop_password_check:right-password@\(host):\(server.port)/postgres?sslmode=disable",
            database: try PostgresLocation(right.url).database)
        do {
            let s = try await PostgresStore(url: rightURL, migrate: false)
            s.close()
        } catch {
            Issue.record("the right password was refused: \(error)")
        }
        await right.drop()
    }
}

/// Database URLs are read before any connection is tried.
@Suite("PostgreSQL URLs")
struct PostgresLocationTests {
    @Test("a full URL is read: user, password, host, port, database, sslmode")
    func full() throws {
        let l = try PostgresLocation("postgres://city%40ops:p%2Fss@db.example.org:6543/cityloop?sslmode=require")
        #expect(l.username == "city@ops")
        #expect(l.password == "p/ss")
        #expect(l.host == "db.example.org")
        #expect(l.port == 6543)
        #expect(l.database == "cityloop")
        #expect(l.tls == .require)
        #expect(!l.displayText.contains("p/ss"))
        let d = try PostgresLocation("postgresql://cityloop@localhost/city")
        #expect(d.port == 5432)
        #expect(d.tls == .prefer)
        #expect(d.password == nil)
        let s = try PostgresLocation("postgres://cityloop@/city?host=/run/postgresql&port=5433")
        #expect(s.socketPath == "/run/postgresql/.s.PGSQL.5433")
    }

    @Test("bad URLs are refused with one line naming what is wrong, the password hidden", arguments: [
        ("mysql://u@h/db", "postgres://"),
        ("postgres://u@h", "no database"),
        ("postgres://h/db", "no user"),
        ("postgres://u:secret@h:70000/db", "port"),
        ("postgres://u@h/db?sslmode=sometimes", "sslmode"),
        ("postgres://u@h/db?colour=blue", "colour"),
        ("not a url at all", "postgres://"),
    ])
    func bad(url: String, mentioning: String) {
        do {
            _ = try PostgresLocation(url)
            Issue.record("\(url) was accepted")
        } catch let e as StoreError {
            #expect(e.kind == .badURL)
            #expect(e.message.contains(mentioning), "\(e.message)")
            #expect(!e.message.contains("secret"))
            #expect(!e.message.contains("\n"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
