import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// Sign-in throttling, password rules, password changes and the last administrator.
@Suite struct AccountSecurityAPITests {
    func login(_ api: API, _ user: String, _ password: String) async throws -> Reply {
        try await api.send(.post, "/api/v1/auth/login", json: ["username": user, "password": password])
    }

    @Test func fiveWrongPasswordsLockTheAccountWithRetryAfter() async throws {
        try await TestCity.serve { api in
            for _ in 0..<5 {
                let r = try await login(api, "dispatcher", "not-the-password")
                #expect(r.status == .unauthorized, "\(r)")
            }
            // The right password is refused while the account is locked, with the same wait in header and message.
            let locked = try await login(api, "dispatcher", TestCity.password)
            #expect(locked.status == .tooManyRequests, "\(locked)")
            #expect(locked.errorCode == "auth.locked")
            let retry = try #require(locked.headers[.retryAfter].flatMap { Int($0) })
            #expect(retry == 60)
            #expect(locked.errorMessage.contains("\(retry) s"))
            // Another account from the same address is not locked.
            #expect(try await login(api, "inspector", TestCity.password).status == .ok)

            api.city.clock.advance(by: 61)
            #expect(try await login(api, "dispatcher", TestCity.password).status == .ok)

            let audit = try await api.get("/api/v1/audit/logins?limit=50", as: "admin")
            #expect(audit.status == .ok, "\(audit)")
            let rows = audit.objects("")
            #expect(rows.filter { $0["username"] as? String == "dispatcher" && $0["outcome"] as? String == "locked" }.count == 1)
            #expect(rows.filter { $0["username"] as? String == "dispatcher" && $0["outcome"] as? String == "failure" }.count == 5)
            #expect(rows.allSatisfy { $0["address"] as? String == "127.0.0.1" })
            #expect(try await api.get("/api/v1/audit/logins", as: "dispatcher").status == .forbidden)
        }
    }

    @Test func unknownUserAndWrongPasswordAnswerAlike() async throws {
        try await TestCity.serve { api in
            let wrong = try await login(api, "dispatcher", "not-the-password")
            let unknown = try await login(api, "nobody-here", "not-the-password")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.data == unknown.data)
            let audit = try await api.get("/api/v1/audit/logins", as: "admin")
            #expect(audit.objects("").contains { $0["username"] as? String == "nobody-here" && $0["reason"] as? String == "unknown_user" })
        }
    }

    @Test func weakPasswordsAreRefusedNamingTheField() async throws {
        try await TestCity.serve { api in
            for weak in ["short-pw", "woaini1314", "1QAZ2WSX3EDC", "123456789a", "clerk.wang", "gnaw.krelc"] {
                let r = try await api.send(
                    .post, "/api/v1/users", as: "admin",
                    json: ["username": "clerk.wang", "displayName": "王", "role": "operator", "password": weak])
                #expect(r.status == .unprocessableContent, "\(weak): \(r)")
                #expect(r.errorField == "password")
            }
            #expect(try await api.city.store.user(username: "clerk.wang") == nil)
            let ok = try await api.send(
                .post, "/api/v1/users", as: "admin",
                json: ["username": "clerk.wang", "displayName": "王", "role": "operator", "password": "river-lamp-42"])
            #expect(ok.status == .created, "\(ok)")
        }
    }

    @Test func changingThePasswordEndsTheOtherSessions() async throws {
        try await TestCity.serve { api in
            let first = try #require(try await login(api, "operator", TestCity.password).string("token"))
            let second = try #require(try await login(api, "operator", TestCity.password).string("token"))
            func me(_ token: String) async throws -> HTTPResponse.Status {
                try await api.send(.get, "/api/v1/me", headers: [.authorization: "Bearer \(token)"]).status
            }
            let weak = try await api.send(
                .post, "/api/v1/me/password", json: ["currentPassword": TestCity.password, "newPassword": "qwerty123"],
                headers: [.authorization: "Bearer \(first)"])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.errorField == "newPassword")
            let wrong = try await api.send(
                .post, "/api/v1/me/password", json: ["currentPassword": "not-the-password", "newPassword": "river-lamp-42"],
                headers: [.authorization: "Bearer \(first)"])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.errorField == "currentPassword")
            #expect(try await me(second) == .ok)

            let changed = try await api.send(
                .post, "/api/v1/me/password", json: ["currentPassword": TestCity.password, "newPassword": "river-lamp-42"],
                headers: [.authorization: "Bearer \(first)"])
            #expect(changed.status == .noContent, "\(changed)")
            #expect(try await me(first) == .ok)
            #expect(try await me(second) == .unauthorized)
            #expect(try await login(api, "operator", TestCity.password).status == .unauthorized)
            let third = try #require(try await login(api, "operator", "river-lamp-42").string("token"))

            // An administrator's reset ends every session of the account.
            let reset = try await api.send(
                .post, "/api/v1/users", as: "admin",
                json: ["username": "operator", "displayName": "接线员", "role": "operator", "password": "harbor-kite-77"])
            #expect(reset.status == .ok, "\(reset)")
            #expect(try await me(first) == .unauthorized)
            #expect(try await me(third) == .unauthorized)
        }
    }

    @Test func theLastActiveAdministratorStaysOne() async throws {
        try await TestCity.serve { api in
            let admins = try await api.city.store.users().filter { $0.role == .admin && $0.active }
            try #require(admins.map(\.username) == ["admin"])
            for change: [String: Any] in [["role": "leader"], ["role": "admin", "active": false]] {
                let r = try await api.send(
                    .post, "/api/v1/users", as: "admin",
                    json: ["username": "admin", "displayName": "管理员"].merging(change) { _, b in b })
                #expect(r.status == .conflict, "\(r)")
                #expect(r.errorCode == "users.last_admin")
            }
            #expect(try await api.city.store.user(username: "admin")?.0.role == .admin)
            let second = try await api.send(
                .post, "/api/v1/users", as: "admin",
                json: ["username": "admin2", "displayName": "管理员二", "role": "admin", "password": "harbor-kite-77"])
            #expect(second.status == .created)
            let demote = try await api.send(
                .post, "/api/v1/users", as: "admin", json: ["username": "admin", "displayName": "管理员", "role": "leader"])
            #expect(demote.status == .ok, "\(demote)")
        }
    }
}
