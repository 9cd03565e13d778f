import CityLoopDomain
import CityLoopPostgres
import CityLoopSQLite
import CityLoopTestSupport
import CityLoopServices
import Foundation
import Testing

/// Every implementation of the storage contract. A new store adds a case here and a branch in
/// `StoreFactory.make`; every conformance test then runs against it.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case sqlite
    /// PostgreSQL, when `CITYLOOP_TEST_DATABASE` names a server (`scripts/test` starts one); each test gets a
    /// database of its own there.
    case postgres

    /// The stores the tests run on: PostgreSQL only when a test server is given.
    static var allCases: [StoreKind] { StoreFactory.postgresURL == nil ? [.inMemory, .sqlite] : [.inMemory, .sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A store under test and how to dispose of it.
struct StoreUnderTest: Sendable {
    let kind: StoreKind
    let store: any CityStore
    /// The SQLite file, for tests that reopen it.
    let path: String?
    private let cleanup: @Sendable () async -> Void

    init(kind: StoreKind, store: any CityStore, path: String?, cleanup: @escaping @Sendable () async -> Void) {
        self.kind = kind
        self.store = store
        self.path = path
        self.cleanup = cleanup
    }

    func dispose() async { await cleanup() }
}

enum StoreFactory {
    /// The PostgreSQL server the tests may use (`CITYLOOP_TEST_DATABASE`), if any.
    static var postgresURL: String? { ProcessInfo.processInfo.environment["CITYLOOP_TEST_DATABASE"].flatMap { $0.isEmpty ? nil : $0 } }

    /// A new, empty database on the test server; its URL and how to drop it.
    static func makePostgresDatabase() async throws -> (url: String, drop: @Sendable () async -> Void) {
        guard let admin = postgresURL else { throw StoreError(.badURL, "CITYLOOP_TEST_DATABASE is not set") }
        let name = "cityloop_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresStore.createDatabase(named: name, onServerOf: admin)
        return (try PostgresStore.url(admin, database: name), { try? await PostgresStore.dropDatabase(named: name, onServerOf: admin) })
    }

    /// A fresh, empty store of the kind.
    static func make(_ kind: StoreKind) async throws -> StoreUnderTest {
        switch kind {
        case .inMemory:
            return StoreUnderTest(kind: kind, store: InMemoryStore(), path: nil, cleanup: {})
        case .sqlite:
            let path = temporaryDatabasePath()
            let store = try SQLiteStore(path: path)
            return StoreUnderTest(kind: kind, store: store, path: path) {
                try? store.close()
                removeDatabase(at: path)
            }
        case .postgres:
            let database = try await makePostgresDatabase()
            do {
                let store = try await PostgresStore(url: database.url)
                return StoreUnderTest(kind: kind, store: store, path: nil) {
                    store.close()
                    await database.drop()
                }
            } catch {
                await database.drop()
                throw error
            }
        }
    }

    /// A unique path under the temporary directory; nothing is created.
    static func temporaryDatabasePath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("cityloop-store-\(UUID().uuidString).sqlite").path
    }

    /// Removes a SQLite file and its WAL companions.
    static func removeDatabase(at path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// Runs `body` against a fresh store of the kind, disposing of it afterwards (also when `body` throws).
func withStore<T>(_ kind: StoreKind, _ body: (any CityStore) async throws -> T) async throws -> T {
    let sut = try await StoreFactory.make(kind)
    do {
        let result = try await body(sut.store)
        await sut.dispose()
        return result
    } catch {
        await sut.dispose()
        throw error
    }
}

/// Expects `body` to throw a `DomainError` with this code (and kind when given).
func expectDomainError(
    code: String, kind: DomainError.Kind? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected DomainError \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let e as DomainError {
        #expect(e.code == code, sourceLocation: sourceLocation)
        if let kind { #expect(e.kind == kind, sourceLocation: sourceLocation) }
    } catch {
        Issue.record("expected DomainError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

/// Collects values from a `@Sendable` synchronous callback.
final class Collector<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T] = []

    func append(_ items: some Sequence<T>) { lock.withLock { storage.append(contentsOf: items) } }
    var items: [T] { lock.withLock { storage } }
}
