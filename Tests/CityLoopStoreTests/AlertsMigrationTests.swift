import CityLoopDomain
import CityLoopPostgres
import CityLoopSQLite
import Foundation
import Testing

/// SQLite migration 015 and PostgreSQL migration 008 move the alerts a city kept in one setting into rows, in
/// their order and with their tasks, and remove the setting.
@Suite struct AlertsMigrationTests {
    /// The setting as the services wrote it before: newest first, dates in milliseconds.
    static func oldSetting() throws -> (text: String, alerts: [WarningRecord]) {
        var first = NodeStoreConformanceTests.alert("410102", raisedAfter: 3600)
        first.taskCaseID = "c-9"
        first.taskCaseNumber = "E0600120261124000009"
        let alerts = [first, NodeStoreConformanceTests.alert("410103"), NodeStoreConformanceTests.alert("", p: 0.0001)]
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return (String(decoding: try encoder.encode(alerts), as: UTF8.self), alerts)
    }

    @Test func sqliteMovesTheAlertsSettingIntoRows() async throws {
        let path = StoreFactory.temporaryDatabasePath()
        defer { StoreFactory.removeDatabase(at: path) }
        var store = try SQLiteStore(path: path)
        let old = try Self.oldSetting()
        // setup: a city file from before migration 015, holding alerts in the setting
        try await store.saveSetting("analytics.alerts", old.text)
        try await store.executeForTesting("DELETE FROM grdb_migrations WHERE identifier = '015_nodes'")
        try await store.executeForTesting("DROP TABLE early_warnings")
        try await store.executeForTesting("DROP TABLE rate_budgets")
        try store.close()

        // MUT
        store = try SQLiteStore(path: path)
        defer { try? store.close() }

        // validate
        #expect(try await store.alerts(limit: 10) == old.alerts)
        #expect(try await store.setting("analytics.alerts") == nil)
        #expect(!(try await store.assignAlertTask(id: old.alerts[0].id, caseID: "c-10", caseNumber: "x")), "the moved task stays")
    }

    @Test(.enabled(if: StoreFactory.postgresURL != nil))
    func postgresMovesTheAlertsSettingIntoRows() async throws {
        let database = try await StoreFactory.makePostgresDatabase()
        var store = try await PostgresStore(url: database.url)
        let old = try Self.oldSetting()
        do {
            // setup: a database from before migration 008, holding alerts in the setting
            try await store.saveSetting("analytics.alerts", old.text)
            try await store.executeForTesting("DELETE FROM schema_migrations WHERE number = 8")
            try await store.executeForTesting("DROP TABLE early_warnings")
            try await store.executeForTesting("DROP TABLE rate_budgets")
            store.close()

            // MUT
            store = try await PostgresStore(url: database.url)

            // validate
            #expect(try await store.alerts(limit: 10) == old.alerts)
            #expect(try await store.setting("analytics.alerts") == nil)
            #expect(try await store.alert(id: old.alerts[0].id)?.taskCaseNumber == "E0600120261124000009")
        } catch {
            Issue.record("\(error)")
        }
        store.close()
        await database.drop()
    }
}
