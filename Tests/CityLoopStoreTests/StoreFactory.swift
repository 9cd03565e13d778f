import CityLoopDomain
import CityLoopSQLite
import CityLoopTestSupport
import CityLoopServices
import Foundation
import Testing

/// Every implementation of the storage contract. A new store (PostgreSQL) adds a case here and a branch in
/// `StoreFactory.make`; every conformance test then runs against it.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case sqlite

    var testDescription: String { rawValue }
}

/// A store under test and how to dispose of it.
struct StoreUnderTest: Sendable {
    let kind: StoreKind
    let store: any CityStore
    /// The SQLite file, for tests that reopen it.
    let path: String?
    private let cleanup: @Sendable () -> Void

    init(kind: StoreKind, store: any CityStore, path: String?, cleanup: @escaping @Sendable () -> Void) {
        self.kind = kind
        self.store = store
        self.path = path
        self.cleanup = cleanup
    }

    func dispose() { cleanup() }
}

enum StoreFactory {
    /// A fresh, empty store of the kind.
    static func make(_ kind: StoreKind) throws -> StoreUnderTest {
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
    let sut = try StoreFactory.make(kind)
    defer { sut.dispose() }
    return try await body(sut.store)
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
