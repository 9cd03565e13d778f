import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// Body of `POST /api/v1/auth/login`.
struct LoginInput: Codable {
    var username: String
    var password: String
}

/// Body of `POST /api/v1/me/password`.
struct PasswordChangeInput: Codable {
    var currentPassword: String
    var newPassword: String
}

/// Body of `POST /api/v1/users`.
/// The workflow settings an administrator can change.
struct PolicySettings: Codable {
    var stepLimits: StepLimits
    var duplicatePolicy: DuplicatePolicy
    var workflowFlags: WorkflowFlags
    /// Optional on input: left out, the current policy stays.
    var recurrencePolicy: RecurrencePolicy?
}

extension APIRoutes {
    func addAccountRoutes(_ api: APIBuilder) {
        let accounts = AccountService(platform: platform)
        let proxies = frontDoor.trustedProxies

        api.add(
            .post, "/api/v1/auth/login", "Sign in; returns a bearer token (429 with Retry-After after repeated failures)", tag: "auth",
            access: "public", body: "LoginInput"
        ) { req, ctx in
            let input = try await APIJSON.decode(LoginInput.self, from: req, context: ctx)
            let address = ctx.clientAddress(req, trustedProxies: proxies)
            do {
                let (token, user, expires) = try await accounts.login(username: input.username, password: input.password, address: address)
                ctx.logger.info("sign-in", metadata: ["username": "\(input.username)", "address": "\(address)", "result": "success"])
                return try APIJSON.response(LoginResult(token: token, expiresAt: expires, user: user))
            } catch let lock as LoginLockout {
                ctx.logger.warning(
                    "sign-in", metadata: ["username": "\(input.username)", "address": "\(address)", "result": "locked", "retryAfter": "\(lock.retryAfter)"])
                let e = lock.domainError
                var r = ErrorMiddleware.response(status: .tooManyRequests, code: e.code, message: e.message, field: e.field)
                r.headers[.retryAfter] = String(lock.retryAfter)
                return r
            } catch let e as DomainError where e.kind == .unauthenticated {
                ctx.logger.notice("sign-in", metadata: ["username": "\(input.username)", "address": "\(address)", "result": "failure"])
                throw e
            }
        }
        api.add(.post, "/api/v1/me/password", "Change the signed-in account's password; its other sessions end", tag: "auth",
                body: "PasswordChangeInput") { req, ctx in
            let actor = try ctx.requireActor()
            let input = try await APIJSON.decode(PasswordChangeInput.self, from: req, context: ctx)
            let token = String((req.headers[.authorization] ?? "").dropFirst(7)).trimmingCharacters(in: .whitespaces)
            try await accounts.changePassword(userID: actor.userID, current: input.currentPassword, new: input.newPassword, currentToken: token)
            return Response(status: .noContent)
        }
        api.add(.get, "/api/v1/audit/logins", "Sign-in attempts, newest first (登录审计): successes, failures and lockouts", tag: "admin",
                access: "admin") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let text = req.uri.queryParameters.get("limit")
            guard let limit = text.map({ Int($0) }) ?? 200 else { throw DomainError.invalid("limit", "limit is a number from 1 to 10000") }
            return try APIJSON.response(try await accounts.recentLoginAttempts(limit: limit))
        }
        api.add(.post, "/api/v1/auth/logout", "End the session (revoke the bearer token)", tag: "auth") { req, ctx in
            _ = try ctx.requireActor()
            let token = String((req.headers[.authorization] ?? "").dropFirst(7))
            try await accounts.revoke(token: token)
            return Response(status: .noContent)
        }
        api.add(.get, "/api/v1/me", "The signed-in account", tag: "auth") { _, ctx in
            let actor = try ctx.requireActor()
            return try APIJSON.response(try await accounts.user(id: actor.userID))
        }
        api.add(.get, "/api/v1/users", "Every account", tag: "admin", access: "admin") { _, ctx in
            _ = try ctx.requireRole(.admin)
            return try APIJSON.response(try await accounts.users())
        }
        api.add(.post, "/api/v1/users", "Create or update an account (by username)", tag: "admin", access: "admin", body: "UserInput", created: true) { req, ctx in
            _ = try ctx.requireRole(.admin)
            let input = try await APIJSON.decode(UserInput.self, from: req, context: ctx)
            let (user, created) = try await accounts.saveUser(input)
            return try APIJSON.response(user, status: created ? .created : .ok)
        }
        api.add(.post, "/api/v1/tokens", "Issue an API key for a partner account (shown once; also an Open311 api_key)", tag: "admin",
                access: "admin", body: "TokenInput", created: true) { req, ctx in
            _ = try ctx.requireRole(.admin)
            struct TokenInput: Decodable {
                var username: String
                var label: String?
                var ratePerMinute: Int?
            }
            let input = try await APIJSON.decode(TokenInput.self, from: req, context: ctx)
            let token = try await accounts.createAPIToken(username: input.username, label: input.label, ratePerMinute: input.ratePerMinute)
            return try APIJSON.response(["token": token, "username": input.username], status: .created)
        }
    }

    func addAdminRoutes(_ api: APIBuilder) {
        let admin = AdminService(platform: platform)
        let platform = self.platform

        api.add(.get, "/api/v1/departments", "Departments", tag: "reference") { _, ctx in
            _ = try ctx.requireActor()
            return try APIJSON.response(try await admin.departments())
        }
        api.add(.put, "/api/v1/departments", "Add or replace departments", tag: "admin", access: "admin", body: "Department[]") { req, ctx in
            _ = try ctx.requireRole(.admin)
            try await admin.saveDepartments(try await APIJSON.decode([Department].self, from: req, context: ctx))
            return try APIJSON.response(try await admin.departments())
        }
        api.add(.get, "/api/v1/rules", "The responsibility list (权责清单)", tag: "reference") { _, ctx in
            _ = try ctx.requireActor()
            return try APIJSON.response(platform.context.policy.responsibilities.rules)
        }
        api.add(.put, "/api/v1/rules", "Replace the responsibility list; conflicts are refused", tag: "admin", access: "admin",
                body: "ResponsibilityRule[]") { req, ctx in
            _ = try ctx.requireRole(.admin)
            try await admin.replaceRules(try await APIJSON.decode([ResponsibilityRule].self, from: req, context: ctx))
            return try APIJSON.response(platform.context.policy.responsibilities.rules)
        }
        api.add(.get, "/api/v1/calendar", "The working calendar", tag: "reference") { _, ctx in
            _ = try ctx.requireActor()
            return try APIJSON.response(platform.context.policy.calendar)
        }
        api.add(.put, "/api/v1/calendar", "Replace the working calendar", tag: "admin", access: "admin", body: "WorkingCalendar") { req, ctx in
            _ = try ctx.requireRole(.admin)
            try await admin.saveCalendar(try await APIJSON.decode(WorkingCalendar.self, from: req, context: ctx))
            return try APIJSON.response(platform.context.policy.calendar)
        }
        api.add(.get, "/api/v1/policy", "Step limits, duplicate policy and automation flags", tag: "reference") { _, ctx in
            _ = try ctx.requireActor()
            return try APIJSON.response(Self.policySettings(platform.context))
        }
        api.add(.put, "/api/v1/policy", "Replace step limits, duplicate policy and automation flags", tag: "admin", access: "admin",
                body: "PolicySettings") { req, ctx in
            _ = try ctx.requireRole(.admin)
            let s = try await APIJSON.decode(PolicySettings.self, from: req, context: ctx)
            // Checked first: a bad recurrence policy changes nothing.
            if let p = s.recurrencePolicy?.problems().first { throw DomainError.invalid(p.field, p.message) }
            try await admin.saveStepLimits(s.stepLimits)
            try await admin.saveDuplicatePolicy(s.duplicatePolicy)
            try await admin.saveWorkflowFlags(s.workflowFlags)
            if let r = s.recurrencePolicy { try await admin.saveRecurrencePolicy(r) }
            return try APIJSON.response(Self.policySettings(platform.context))
        }
    }

    static func policySettings(_ ctx: CityContext) -> PolicySettings {
        PolicySettings(
            stepLimits: ctx.policy.steps, duplicatePolicy: ctx.duplicates,
            workflowFlags: WorkflowFlags(autoDispatch: ctx.policy.autoDispatch, autoSendCheck: ctx.policy.autoSendCheck),
            recurrencePolicy: ctx.recurrence)
    }
}

/// The answer to a sign-in.
struct LoginResult: Codable {
    var token: String
    var expiresAt: Date
    var user: User
}
