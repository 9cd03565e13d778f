import ArgumentParser
import CityLoopDomain
import CityLoopServices
import Foundation

/// Acting as an account from the command line.
struct AsUserOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "Act as this account (username).") var username: String

    func actor(_ platform: Platform) async throws -> Actor {
        guard let (user, _) = try await platform.store.user(username: username) else { throw ValidationError("no account named \(username)") }
        return Actor(user)
    }
}

/// `cityloop report`: file a report.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Report a problem as an account (上报).")
    @OptionGroup var options: DataOptions
    @OptionGroup var user: AsUserOptions
    @Option(help: "Matter class code, e.g. 06010 (暴露垃圾).") var matter: String
    @Option(help: "Latitude.") var lat: Double
    @Option(help: "Longitude.") var lon: Double
    @Option(help: "Coordinate system of --lat/--lon: wgs84 (default), cgcs2000, gcj02 or bd09.") var crs: CoordinateSystem = .wgs84
    @Option(help: "What was seen.") var description: String
    @Option(help: "Client request ID (for idempotent scripts).") var requestID: String?

    func run() async throws {
        let settings = try await options.settings()
        let (platform, _) = try await settings.openPlatform()
        let point = try crs.wgs84Point(lat: lat, lon: lon)
        let r = try await CaseService(platform: platform).report(
            ReportInput(clientRequestID: requestID, matterCode: matter, description: description, lat: point.lat, lon: point.lon),
            actor: try await user.actor(platform))
        print("\(r.case.number)\t\(r.case.id)\t\(r.case.state.rawValue)\t\(r.case.placement.gridCode)")
        for d in r.duplicates { print(settings.messages.t("可能重复", "possible duplicate") + "\t\(d.number)\t\(Int(d.distanceMetres)) m") }
    }
}

/// `cityloop case`: list, show and act on cases.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "List, show and act on cases (案件).", subcommands: [List.self, Show.self, Act.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases.")
        @OptionGroup var options: DataOptions
        @OptionGroup var user: AsUserOptions
        @Option(help: "Only this state.") var state: String?
        @Flag(help: "Only overdue cases.") var overdue = false
        @Option(help: "How many.") var limit = 20

        func run() async throws {
            let settings = try await options.settings()
            let (platform, _) = try await settings.openPlatform()
            var q = CaseQuery()
            if let state { guard let s = CaseState(rawValue: state) else { throw ValidationError("unknown state \(state)") }; q.states = [s] }
            if overdue { q.overdueAt = Date() }
            q.limit = limit
            let page = try await CaseService(platform: platform).query(q, actor: try await user.actor(platform))
            for c in page.items { print("\(c.number)\t\(c.state.rawValue)\t\(c.matterCode)\t\(c.placement.gridCode)\t\(c.leadDepartmentID?.rawValue ?? "-")") }
            print(settings.messages.t("共 \(page.total) 件", "\(page.total) in all"))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one case with its timeline.")
        @OptionGroup var options: DataOptions
        @OptionGroup var user: AsUserOptions
        @Argument(help: "Case ID or number.") var id: String

        func run() async throws {
            let settings = try await options.settings()
            let (platform, _) = try await settings.openPlatform()
            let d = try await CaseService(platform: platform).detail(CaseID(id), actor: try await user.actor(platform))
            let c = d.case
            print("\(c.number)  \(c.state.rawValue) \(c.state.chineseName)  \(c.matterCode) \(d.matterName ?? "")  \(d.areaNames.joined(separator: " / "))")
            for e in d.timeline {
                print("  \(e.seq)\t\(ISO8601DateFormatter().string(from: e.at))\t\(e.actorName)(\(e.actorRole.rawValue))\t\(e.action.rawValue)\t\(e.fromState?.rawValue ?? "-") → \(e.toState.rawValue)\t\(e.comment ?? "")")
            }
            print(settings.messages.t("可执行", "available") + ": " + d.availableActions.map(\.rawValue).joined(separator: ", "))
        }
    }

    struct Act: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a workflow action on a case.")
        @OptionGroup var options: DataOptions
        @OptionGroup var user: AsUserOptions
        @Argument(help: "Case ID or number.") var id: String
        @Argument(help: "Action, e.g. file, dispatch, accept, report_handled, send_check, check_pass, close.") var action: String
        @Option(help: "Comment.") var comment: String?
        @Option(help: "Department (dispatch).") var department: String?
        @Option(help: "Extension hours (request_extension).") var hours: Int?

        func run() async throws {
            guard let a = CaseAction(rawValue: action) else { throw ValidationError("unknown action \(action)") }
            let settings = try await options.settings()
            let (platform, _) = try await settings.openPlatform()
            let r = try await CaseService(platform: platform).act(
                a, caseID: CaseID(id), input: ActionInput(comment: comment, departmentID: department.map { DepartmentID($0) }, extensionHours: hours),
                actor: try await user.actor(platform))
            print("\(r.number)\t\(r.state.rawValue)\t\(r.leadDepartmentID?.rawValue ?? "-")")
        }
    }
}

/// `cityloop user`: add or update an account.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Add or update an account (账号).")
    @OptionGroup var options: DataOptions
    @Argument(help: "Username.") var username: String
    @Option(help: "Role: citizen, inspector, operator, shiftlead, dispatcher, handler, leader, admin, partner.") var role: String
    @Option(help: "Password (at least 10 characters, not a common password, not the username).") var password: String
    @Option(help: "Display name.") var name: String?
    @Option(help: "Department (handlers).") var department: String?
    @Option(help: "Comma-separated area or grid codes (inspectors).") var grids: String?

    /// Refuses control characters in every text, as the API does (see `TextRules`).
    func validate() throws {
        for (field, text) in [("username", username), ("name", name), ("department", department), ("grids", grids)] {
            do { try TextRules.check(text, field: field) } catch let e as DomainError { throw ValidationError(e.message) }
        }
    }

    func run() async throws {
        guard let r = Role(rawValue: role) else { throw ValidationError("unknown role \(role)") }
        let (platform, store) = try await options.openPlatform()
        let existing = try await store.user(username: username)?.0
        let user = User(
            id: existing?.id ?? UserID(platform.ids.next()), username: username, displayName: name ?? username, role: r,
            departmentID: department.map { DepartmentID($0) }, gridScopes: grids?.split(separator: ",").map(String.init) ?? [])
        try await AccountService(platform: platform).saveUser(user, password: password)
        print("\(user.id)\t\(username)\t\(r.rawValue)")
    }
}
