import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// A figure as the evaluation shows it: numerator, denominator and rate in percent (nil when nothing was due).
struct EvalFigure: Decodable, Hashable, CustomStringConvertible {
    var numerator: Int
    var denominator: Int
    var value: Double?

    init(_ numerator: Int, _ denominator: Int, _ value: Double?) {
        self.numerator = numerator
        self.denominator = denominator
        self.value = value
    }

    var description: String { "\(numerator)/\(denominator) = \(value.map { "\($0)" } ?? "–")" }
}

/// One subject's line of `GET /api/v1/evaluation`, as a reader sees it.
struct EvalRow: Decodable {
    var subject, kind, name, nameEn: String
    var rank: Int?
    var score: Double?
    var grade: String?
    var previousScore: Double?
    var change: Double?
    var indicators: [String: EvalFigure]
    var previousIndicators: [String: EvalFigure]
}

/// `GET /api/v1/evaluation`, decoded.
struct EvalReport: Decodable {
    struct Period: Decodable, Equatable {
        var name, kind, from, to, previous: String
        var days: Int
    }
    struct Head: Decodable {
        var id, name, nameEn: String
        var rate, higherIsBetter: Bool
    }
    var period: Period
    var subject: String
    var indicators: [Head]
    var rows: [EvalRow]

    /// The row of a subject ID (a department ID, district code, user ID, or "" for the city).
    func row(_ subject: String) -> EvalRow? { rows.first { $0.subject == subject } }
}

extension API {
    /// `GET /api/v1/evaluation` for a period and subject, requiring a 200.
    func evaluation(_ period: String, _ subject: String, as user: String = "leader") async throws -> EvalReport {
        let r = try await get("/api/v1/evaluation?period=\(period)&subject=\(subject)", as: user)
        try #require(r.status == .ok, "evaluation \(period) \(subject): \(r)")
        return try JSONDecoder().decode(EvalReport.self, from: r.data)
    }

    /// The case numbers `GET /api/v1/evaluation/cases?…` lists, requiring a 200.
    func evaluationCases(_ query: String, as user: String = "leader") async throws -> [String] {
        let r = try await get("/api/v1/evaluation/cases?\(query)", as: user)
        try #require(r.status == .ok, "cases \(query): \(r)")
        return r.objects("").map { $0["number"] as? String ?? "?" }
    }

    /// Reports as `user`, requiring a 201; the new case and the reply (whose `case.stepDueAt` is the first step's
    /// deadline).
    func opened(as user: String, _ body: [String: Any]) async throws -> (ScenarioCase, Reply) {
        let r = try await report(as: user, body)
        try #require(r.status == .created, "report as \(user): \(r)")
        return (ScenarioCase(id: try #require(r.string("case.id")), number: try #require(r.string("case.number"))), r)
    }

    /// Moves the clock one minute past the current step's deadline of the case in `reply` (so the next step is
    /// late) and returns a client whose users sign in afresh: sessions last 12 hours and a jump may cross a night.
    func pastDeadline(of reply: Reply) throws -> API {
        let due = try #require(reply.date("case.stepDueAt"), "no step deadline in \(reply)")
        city.clock.set(due.addingTimeInterval(60))
        return API(client: client, city: city)
    }

    /// Moves the clock to `date` and returns a client whose users sign in afresh.
    func at(_ date: Date) -> API {
        city.clock.set(date)
        return API(client: client, city: city)
    }

    /// Turns the platform's automatic dispatch on or off (`PUT /api/v1/policy`).
    func setAutoDispatch(_ on: Bool) async throws {
        struct Policy: Codable {
            var stepLimits: StepLimits
            var duplicatePolicy: DuplicatePolicy
            var workflowFlags: WorkflowFlags
        }
        let current = try await get("/api/v1/policy", as: "admin")
        var policy = try JSONDecoder().decode(Policy.self, from: current.data)
        policy.workflowFlags.autoDispatch = on
        let r = try await send(
            .put, "/api/v1/policy", as: "admin", raw: try JSONEncoder().encode(policy), headers: [.contentType: "application/json"])
        try #require(r.status == .ok, "policy: \(r)")
    }

    /// Replaces the evaluation scheme as admin (`PUT /api/v1/evaluation/scheme`), returning the reply.
    func putScheme(_ scheme: EvaluationScheme, as user: String = "admin") async throws -> Reply {
        try await send(
            .put, "/api/v1/evaluation/scheme", as: user, raw: try JSONEncoder().encode(scheme), headers: [.contentType: "application/json"])
    }
}

/// A case of the scenario.
struct ScenarioCase: Sendable {
    let id: String
    let number: String
}

/// Seven cases driven through the loop over the API in ISO week 2026-W50 (Monday 7 to Sunday 13 December 2026,
/// after the demo's history, which ends on 24 November, so the week holds these cases only), with automatic
/// dispatch off so that the dispatcher's work counts. Cases are driven one after another; a late step is taken
/// one minute after its deadline, every other step at once.
///
/// | case | reported by, where | steps | end |
/// | --- | --- | --- | --- |
/// | A | citizen, district 1 | all on time; rated satisfied | closed |
/// | B | citizen, district 1 | handling report late; rated dissatisfied | closed |
/// | C | inspector, district 1 | filing, dispatch, first send_check, check_pass and close late; check_fail once | closed |
/// | D | citizen, district 2 | verification (by that street's inspector) late; filed by the operator | in progress |
/// | E | citizen, district 1 | send_verify by the operator, second verification late; returned by sanitation, dispatched to municipal | closed |
/// | F | inspector, district 1 | filed, then voided | voided |
/// | G | citizen, district 1 | refuted | rejected |
///
/// Exposed garbage (06010) goes to sanitation; every case's number is larger than the one before.
struct EvaluationScenario: Sendable {
    /// Monday 2026-12-07 08:30 in UTC+8.
    static let monday = ISO8601DateFormatter().date(from: "2026-12-07T00:30:00Z")!
    /// The week of the scenario.
    static let week = "2026-W50"

    var a, b, c, d, e, f, g: ScenarioCase
    /// District and street of every case but D.
    var district1, street1: String
    /// District and street of D.
    var district2, street2: String
    /// The street inspectors of street 1 and street 2 (usernames; user IDs are `u-` + username).
    var inspector1, inspector2: String

    /// Drives the seven cases; the clock ends on Tuesday 2026-12-08.
    static func drive(_ start: API) async throws -> EvaluationScenario {
        var api = start.at(monday)
        let city = api.city
        try await api.setAutoDispatch(false)
        let (g1, g2) = try twoDistricts(city)
        let p1 = g1.boundary.interiorPoint, p2 = g2.boundary.interiorPoint
        let inspector2 = "inspector-\(g2.streetCode)"

        // A: every step on time.
        let (a, _) = try await api.opened(as: "citizen", garbageReport(at: p1))
        try await api.step("verify", a.id, as: "inspector")
        try await api.step("file", a.id, as: "shiftlead")
        try await api.step("dispatch", a.id, as: "dispatcher")
        try await api.step("accept", a.id, as: "handler")
        try await api.step("report_handled", a.id, as: "handler", ["comment": "已清理"])
        try await api.step("send_check", a.id, as: "operator")
        try await api.step("check_pass", a.id, as: "inspector")
        try await api.step("close", a.id, as: "shiftlead")
        try await api.step("rate", a.id, as: "citizen", ["satisfaction": "satisfied"])

        // B: handled after the handling deadline.
        let (b, _) = try await api.opened(as: "citizen", garbageReport(at: p1))
        try await api.step("verify", b.id, as: "inspector")
        try await api.step("file", b.id, as: "shiftlead")
        try await api.step("dispatch", b.id, as: "dispatcher")
        api = try api.pastDeadline(of: try await api.step("accept", b.id, as: "handler"))
        try await api.step("report_handled", b.id, as: "handler", ["comment": "已清理"])
        try await api.step("send_check", b.id, as: "operator")
        try await api.step("check_pass", b.id, as: "inspector")
        try await api.step("close", b.id, as: "shiftlead")
        try await api.step("rate", b.id, as: "citizen", ["satisfaction": "dissatisfied"])

        // C: an inspector's report; filing, dispatch, the first send_check, check_pass and close late; reworked once.
        let (c, reportedC) = try await api.opened(as: "inspector", garbageReport(at: p1))
        api = try api.pastDeadline(of: reportedC)
        api = try api.pastDeadline(of: try await api.step("file", c.id, as: "shiftlead"))
        try await api.step("dispatch", c.id, as: "dispatcher")
        try await api.step("accept", c.id, as: "handler")
        api = try api.pastDeadline(of: try await api.step("report_handled", c.id, as: "handler", ["comment": "已清理"]))
        try await api.step("send_check", c.id, as: "operator")
        try await api.step("check_fail", c.id, as: "inspector", ["comment": "垃圾仍未清理"])
        try await api.step("report_handled", c.id, as: "handler", ["comment": "已彻底清理"])
        api = try api.pastDeadline(of: try await api.step("send_check", c.id, as: "operator"))
        api = try api.pastDeadline(of: try await api.step("check_pass", c.id, as: "inspector"))
        try await api.step("close", c.id, as: "shiftlead")

        // D: in the other district, verified late by its street's inspector, filed by the operator, left in progress.
        let (d, reportedD) = try await api.opened(as: "citizen", garbageReport(at: p2))
        api = try api.pastDeadline(of: reportedD)
        try await api.step("verify", d.id, as: inspector2)
        try await api.step("file", d.id, as: "operator")
        try await api.step("dispatch", d.id, as: "dispatcher")
        try await api.step("accept", d.id, as: "handler")

        // E: verification sent again by the operator and done late; returned by sanitation, handled by municipal.
        let (e, _) = try await api.opened(as: "citizen", garbageReport(at: p1))
        try await api.step("verify", e.id, as: "inspector")
        api = try api.pastDeadline(of: try await api.step("send_verify", e.id, as: "operator"))
        try await api.step("verify", e.id, as: "inspector")
        try await api.step("file", e.id, as: "shiftlead")
        try await api.step("dispatch", e.id, as: "dispatcher")
        try await api.step("accept", e.id, as: "handler")
        try await api.step("request_return", e.id, as: "handler", ["comment": "非本单位职责"])
        try await api.step("approve_return", e.id, as: "dispatcher")
        try await api.step("dispatch", e.id, as: "dispatcher", ["departmentID": "municipal"])
        try await api.step("accept", e.id, as: "handler-municipal")
        try await api.step("report_handled", e.id, as: "handler-municipal", ["comment": "已处理"])
        try await api.step("send_check", e.id, as: "operator")
        try await api.step("check_pass", e.id, as: "inspector")
        try await api.step("close", e.id, as: "shiftlead")

        // F: an inspector's report, filed, then voided.
        let (f, _) = try await api.opened(as: "inspector", garbageReport(at: p1))
        try await api.step("file", f.id, as: "shiftlead")
        try await api.step("void", f.id, as: "shiftlead", ["comment": "重复上报"])

        // G: refuted on site.
        let (g, _) = try await api.opened(as: "citizen", garbageReport(at: p1))
        try await api.step("refute", g.id, as: "inspector", ["comment": "现场无此问题"])

        return EvaluationScenario(
            a: a, b: b, c: c, d: d, e: e, f: f, g: g, district1: g1.districtCode, street1: g1.streetCode, district2: g2.districtCode,
            street2: g2.streetCode, inspector1: "inspector-\(g1.streetCode)", inspector2: inspector2)
    }

    /// The test city's grid in district 410102, where the demo inspector works, and the first grid of another district.
    static func twoDistricts(_ city: TestCity) throws -> (UnitGrid, UnitGrid) {
        let g1 = city.grid
        let g2 = try #require(city.platform.context.map.grids.filter { $0.districtCode != g1.districtCode }.min { $0.code < $1.code })
        return (g1, g2)
    }

    /// Serves a fresh city, drives the scenario and hands both to the test.
    static func serve(_ body: @Sendable (API, EvaluationScenario) async throws -> Void) async throws {
        try await TestCity.serve { api in
            let scenario = try await drive(api)
            // A client whose sessions start at the clock's present.
            try await body(API(client: api.client, city: api.city), scenario)
        }
    }
}

/// Splits RFC 4180 text into rows of cells; quoted cells may hold commas, doubled quotes and line breaks.
func csvRows(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var cell = ""
    var quoted = false
    var chars = text.makeIterator()
    var pending: Character?
    while let ch = pending ?? chars.next() {
        pending = nil
        if quoted {
            if ch == "\"" {
                let next = chars.next()
                if next == "\"" {
                    cell.append("\"")
                } else {
                    quoted = false
                    pending = next
                }
            } else {
                cell.append(ch)
            }
        } else if ch == "\"" {
            quoted = true
        } else if ch == "," {
            row.append(cell)
            cell = ""
        } else if ch == "\r\n" || ch == "\n" {
            row.append(cell)
            rows.append(row)
            row = []
            cell = ""
        } else {
            cell.append(ch)
        }
    }
    if !cell.isEmpty || !row.isEmpty { rows.append(row + [cell]) }
    return rows
}
