import CityLoopDomain
import Foundation

extension CaseService {
    /// The query narrowed to what the actor may see: handlers their department's cases, inspectors their
    /// grids, citizens and partners their own reports.
    public func scoped(_ query: CaseQuery, for actor: Actor) -> CaseQuery {
        var q = query
        switch actor.role {
        case .handler:
            q.involvingDepartmentID = actor.departmentID ?? DepartmentID("-")
        case .inspector:
            q.gridPrefixes = actor.gridScopes.isEmpty ? ["-"] : actor.gridScopes
        case .citizen, .partner:
            q.reporterUserID = actor.userID
        default:
            break
        }
        q.limit = min(max(q.limit, 1), 1000)
        q.offset = max(q.offset, 0)
        return q
    }

    /// Throws `forbidden` when the case is outside the actor's scope.
    /// Whether the actor may see the case.
    public func isVisible(_ c: CaseRecord, to actor: Actor) -> Bool { scoped(CaseQuery(), for: actor).matches(c) }

    func ensureVisible(_ c: CaseRecord, to actor: Actor) throws {
        guard scoped(CaseQuery(), for: actor).matches(c) else {
            throw DomainError(.forbidden, code: "case.not_yours", "case \(c.number) is outside your scope")
        }
    }

    /// An evidence file of a case (or its preview), for an actor who may see the case: the file must be among the
    /// case's evidence or that of one of its events.
    public func evidence(_ mediaID: String, of caseID: CaseID, thumbnail: Bool, actor: Actor) async throws -> (Data, String) {
        let c = try await findCase(caseID)
        try ensureVisible(c, to: actor)
        var attached = Set(c.evidence)
        if !attached.contains(mediaID) {
            for e in try await platform.store.events(caseID: c.id) { attached.formUnion(e.evidence) }
        }
        guard attached.contains(mediaID) else {
            throw DomainError(.notFound, code: "media.not_attached", "'\(mediaID)' is not evidence of case \(c.number)", field: "media")
        }
        if thumbnail, let preview = try await platform.media.thumbnail(mediaID) { return (preview, "image/jpeg") }
        guard let (data, info) = try await platform.media.get(mediaID) else { throw DomainError.notFound("media", mediaID) }
        return (data, info.contentType)
    }

    /// Roles that see every case, and so every evidence file by its ID alone.
    public static let seeAllEvidence: Set<Role> = [.operator, .shiftLead, .dispatcher, .leader, .admin]

    /// A case with its timeline and the viewer's available actions.
    public func detail(_ id: CaseID, actor: Actor) async throws -> CaseDetail {
        let c = try await findCase(id)
        try ensureVisible(c, to: actor)
        let ctx = platform.context
        try await recordRead(of: [c], by: actor, purpose: "case.detail")
        return CaseDetail(
            case: c.visible(to: actor.role, userID: actor.userID), timeline: try await platform.store.events(caseID: c.id),
            availableActions: CaseWorkflow.availableActions(for: c, actor: actor),
            overdue: c.isOverdue(at: platform.clock.now()), areaNames: ctx.map.areaNames(for: c.placement),
            matterName: ctx.catalog.matter(c.matterCode)?.name)
    }

    /// The detail shown after a committed change, built from the committed record and its whole history (nothing
    /// is read back). It never throws, since the change is already stored and a 500 would tell the caller it
    /// failed: the personal-data read is recorded as for `detail`, and when that record cannot be kept the error is
    /// handed back for the log.
    func shownAfterCommit(_ record: CaseRecord, timeline: [CaseEvent], actor: Actor) async -> (detail: CaseDetail, auditError: (any Error)?) {
        let ctx = platform.context
        var auditError: (any Error)?
        do { try await recordRead(of: [record], by: actor, purpose: "case.detail") } catch { auditError = error }
        let shown = CaseDetail(
            case: record.visible(to: actor.role, userID: actor.userID), timeline: timeline,
            availableActions: CaseWorkflow.availableActions(for: record, actor: actor),
            overdue: record.isOverdue(at: platform.clock.now()), areaNames: ctx.map.areaNames(for: record.placement),
            matterName: ctx.catalog.matter(record.matterCode)?.name)
        return (shown, auditError)
    }

    /// The reporters' notice outbox as a delivery log, newest first, at most `limit` (1–1,000).
    public func noticeLog(limit: Int) async throws -> [QueuedNotice] {
        guard (1...1000).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 1000") }
        return try await platform.store.queuedNotices(limit: limit)
    }

    /// Cases matching a query within the actor's scope.
    public func query(_ query: CaseQuery, actor: Actor) async throws -> CasePage {
        var page = try await platform.store.cases(scoped(query, for: actor))
        try await recordRead(of: page.items, by: actor, purpose: "case.list")
        page.items = page.items.map { $0.visible(to: actor.role, userID: actor.userID) }
        return page
    }

    /// Records that `actor` is shown other people's names or phone numbers on these cases, when their role
    /// sees them unmasked. Throws (and the read is refused) when the record cannot be kept.
    func recordRead(of cases: [CaseRecord], by actor: Actor, purpose: String) async throws {
        guard actor.role.seesPersonalData, actor.role != .system else { return }
        let ids = cases.filter { $0.holdsPersonalData(besides: actor.userID) }.map(\.id)
        guard !ids.isEmpty else { return }
        try await platform.audit.record(
            PersonalDataRead(at: platform.clock.now(), userID: actor.userID, role: actor.role, caseIDs: ids, purpose: purpose))
    }

    /// Counts by state within the actor's scope (for dashboards); every state is present.
    public func counts(_ query: CaseQuery, actor: Actor) async throws -> [String: Int] {
        let counts = try await platform.store.countsByState(scoped(query, for: actor))
        return Dictionary(uniqueKeysWithValues: CaseState.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
    }

    /// Overdue and soon-due cases, optionally for one department and for the states where a role acts next.
    public func deadlines(department: DepartmentID?, role: Role?, actor: Actor, limit: Int = 200) async throws -> DeadlineList {
        let ctx = platform.context
        let now = platform.clock.now()
        var q = CaseQuery()
        q.departmentID = department
        if let role { q.states = CaseState.allCases.filter { $0.nextRole == role } }
        q.limit = limit
        var overdueQ = q
        overdueQ.overdueAt = now
        var soonQ = q
        soonQ.dueBefore = ctx.policy.calendar.adding(workingMinutes: ctx.policy.steps.dueSoonMinutes, to: now)
        let overdue = try await query(overdueQ, actor: actor)
        let soon = try await query(soonQ, actor: actor)
        let soonItems = soon.items.filter { !$0.isOverdue(at: now) }
        return DeadlineList(
            now: now, overdue: overdue.items.sorted { ($0.stepDueAt ?? now) < ($1.stepDueAt ?? now) }, overdueTotal: overdue.total,
            dueSoon: soonItems.sorted { ($0.stepDueAt ?? now) < ($1.stepDueAt ?? now) })
    }

    /// Verifies all stored history (see `verifyHistory(checkpoints:publicKey:)`) against the checkpoint log the
    /// platform was given, if any.
    public func verifyHistory() async throws -> VerificationReport {
        let c = platform.checkpoints
        return try await verifyHistory(checkpoints: c?.log, publicKey: c?.publicKey)
    }

    /// Verifies all stored history: every case's per-case chain and its row against its events, every event
    /// against the city ledger, the ledger's own chain, and the ledger against the signed checkpoints of `log`
    /// (each signature checked against `publicKey`). The ledger chain and the cases are checked side by side.
    public func verifyHistory(checkpoints log: CheckpointLog?, publicKey: String?) async throws -> VerificationReport {
        let hasher = platform.hasher
        let store = platform.store
        var problems: [String] = []
        var trusted: [LedgerCheckpoint] = []
        if let log {
            let (all, bad) = try log.read()
            problems += bad
            for c in all {
                if let publicKey, LedgerKey.isValid(c, trusted: publicKey) {
                    trusted.append(c)
                } else {
                    problems.append("checkpoints: the checkpoint at entry \(c.seq) of \(ISO8601DateFormatter().string(from: c.at)) has no valid signature of the ledger key (forged or altered)")
                }
            }
        }
        let chain = Task { [trusted] in
            var check = LedgerVerifier.ChainCheck(checkpoints: trusted)
            var after: Int64 = 0
            while true {
                let page = try await store.ledgerEntries(after: after, limit: 20_000)
                guard let last = page.last else { break }
                for e in page { check.consume(e, hasher: hasher) }
                after = last.seq
            }
            return (check.finished(), check.head.seq)
        }
        // The next page is read (and decoded, on the store's reader) while this one is checked.
        var cases = 0, events = 0, matched = 0
        var next = Task { try await store.storedHistories(after: 0, limit: 2000) }
        while true {
            let (items, cursor) = try await next.value
            if let cursor { next = Task { try await store.storedHistories(after: cursor, limit: 2000) } }
            for h in items {
                cases += 1
                events += h.events.count
                let (p, m) = LedgerVerifier.problems(of: h, hasher: hasher)
                problems += p
                matched += m
            }
            if cursor == nil { break }
        }
        let (chainProblems, ledgerLength) = try await chain.value
        problems += chainProblems
        if Int64(matched) != ledgerLength {
            problems += try await store.orphanLedgerEntries(limit: 1000).filter(\.caseMissing).map(LedgerVerifier.problem)
        }
        return VerificationReport(cases: cases, events: events, problems: problems)
    }

    /// Rates a closed case for whoever holds its tracking code, without signing in (a hotline caller, an Open311
    /// reporter): once, and only when closed, as the signed-in reporter would. Returns the public progress.
    public func rate(trackingCode code: String, satisfaction: Satisfaction, comment: String?) async throws -> PublicTimeline {
        guard let number = platform.tracking.number(in: code), let c = try await platform.store.caseRecord(number: number) else {
            throw DomainError(.notFound, code: "tracking.not_found", "no report has the tracking code '\(code)'", field: "code")
        }
        // The code stands for the reporter: the rating is theirs (their account when they had one).
        let actor = Actor(userID: c.reporters.first?.userID ?? UserID("tracking:\(number)"), name: "查询码 tracking code", role: .citizen)
        _ = try await act(.rate, caseID: c.id, input: ActionInput(comment: comment, satisfaction: satisfaction), actor: actor, scopeChecked: true)
        return try await track(code: code)
    }

    /// The public progress of the case a tracking code stands for; `notFound` for a code that is not ours.
    public func track(code: String) async throws -> PublicTimeline {
        guard let number = platform.tracking.number(in: code), let c = try await platform.store.caseRecord(number: number) else {
            throw DomainError(.notFound, code: "tracking.not_found", "no report has the tracking code '\(code)'", field: "code")
        }
        let ctx = platform.context
        let matter = ctx.catalog.matter(c.matterCode).map { (zh: $0.name, en: $0.nameEn) }
        return PublicTimeline(
            case: c, events: try await platform.store.events(caseID: c.id), matter: matter,
            department: { id in ctx.departments[id].map { ($0.name, $0.nameEn) } })
    }
}

/// Cases past or near their step deadline.
public struct DeadlineList: Codable, Sendable {
    /// The instant the list was computed at.
    public var now: Date
    /// Overdue cases, most overdue first.
    public var overdue: [CaseRecord]
    /// How many cases are overdue in all.
    public var overdueTotal: Int
    /// Cases due within the due-soon threshold, soonest first.
    public var dueSoon: [CaseRecord]
}
