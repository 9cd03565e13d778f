import CityLoopDomain
@testable import CityLoopServices
import Foundation
import Testing

/// The token cache never keeps a token read from storage before a removal (a revoke, a password change): a request
/// that read the token just before it was revoked must not make it usable for another 30 s.
@Suite("Token cache")
struct TokenCacheTests {
    @Test("a token read before a removal is not kept; one read after it is")
    func generations() {
        let cache = TokenCache()
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let entry = (
            User(id: "u1", username: "alice", displayName: "Alice", role: .operator),
            AccessToken(hash: "h1", userID: "u1", label: "session", isAPIToken: false, createdAt: now, expiresAt: nil)
        )
        let before = cache.generation
        // MUT: the token is revoked while a request holds what it read before
        cache.remove("h1")
        cache.put("h1", entry, until: now.addingTimeInterval(30), readIn: before)
        #expect(cache.get("h1", now: now) == nil)
        let before2 = cache.generation
        cache.removeAll()
        cache.put("h1", entry, until: now.addingTimeInterval(30), readIn: before2)
        #expect(cache.get("h1", now: now) == nil)
        // A read in the current generation is kept until it runs out.
        cache.put("h1", entry, until: now.addingTimeInterval(30), readIn: cache.generation)
        #expect(cache.get("h1", now: now)?.1.hash == "h1")
        #expect(cache.get("h1", now: now.addingTimeInterval(31)) == nil)
    }
}
