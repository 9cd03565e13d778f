import CityLoopDomain
import Foundation
import Testing

/// Sign-in attempts and session revocation: every test runs against every store.
@Suite("Login attempt store conformance")
struct LoginAttemptConformanceTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("attempts are found by user name and by address since a time, and listed newest first", arguments: StoreKind.allCases)
    func attempts(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let list = [
                LoginAttempt(at: t0, username: "admin", address: "10.0.0.1", outcome: .failure, reason: "wrong_password"),
                LoginAttempt(at: t0 + 10, username: "admin", address: "10.0.0.2", outcome: .locked, reason: "locked"),
                LoginAttempt(at: t0 + 20, username: "ghost", address: "10.0.0.1", outcome: .failure, reason: "unknown_user"),
                LoginAttempt(at: t0 + 30, username: "admin", address: "10.0.0.1", outcome: .success),
            ]
            for a in list { try await store.recordLoginAttempt(a) }
            #expect(try await store.loginAttempts(username: "admin", since: t0) == [list[0], list[1], list[3]])
            #expect(try await store.loginAttempts(username: "admin", since: t0 + 5) == [list[1], list[3]])
            #expect(try await store.loginAttempts(address: "10.0.0.1", since: t0) == [list[0], list[2], list[3]])
            #expect(try await store.loginAttempts(address: "10.0.0.9", since: t0).isEmpty)
            #expect(try await store.recentLoginAttempts(limit: 2) == [list[3], list[2]])
        }
    }

    @Test("deleting a user's sessions keeps the named one, API tokens and other users' sessions", arguments: StoreKind.allCases)
    func deleteSessions(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            func token(_ hash: String, _ user: UserID, api: Bool = false) -> AccessToken {
                AccessToken(hash: hash, userID: user, label: "t", isAPIToken: api, createdAt: t0, expiresAt: api ? nil : t0 + 3600)
            }
            let tokens = [token("s1", "u1"), token("s2", "u1"), token("s3", "u1"), token("k1", "u1", api: true), token("o1", "u2")]
            for t in tokens { try await store.saveToken(t) }
            try await store.deleteSessions(userID: "u1", keeping: "s2")
            #expect(try await store.token(hash: "s1") == nil)
            #expect(try await store.token(hash: "s3") == nil)
            #expect(try await store.token(hash: "s2") == tokens[1])
            #expect(try await store.token(hash: "k1") == tokens[3])
            #expect(try await store.token(hash: "o1") == tokens[4])
            try await store.deleteSessions(userID: "u1", keeping: nil)
            #expect(try await store.token(hash: "s2") == nil)
        }
    }
}
