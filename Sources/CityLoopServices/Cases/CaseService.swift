import CityLoopDomain
import CoreMetrics
import Foundation

/// The case loop's use cases: report, act, read. Validates everything before writing anything.
public struct CaseService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    static let maxDescription = 4000

    /// Files a new report from any channel. Idempotent on `clientRequestID` per reporting account.
    public func report(_ input: ReportInput, actor: Actor) async throws -> ReportResult {
        try await report(input, actor: actor, verifyFirst: false)
    }

    /// Files a report; `verifyFirst` sends it to the grid's inspector to verify whatever its source (an alarm whose
    /// policy wants eyes on site).
    func report(_ input: ReportInput, actor: Actor, verifyFirst: Bool) async throws -> ReportResult {
        let ctx = platform.context
        let now = platform.clock.now()
        let source = try Self.source(for: input, actor: actor)
        // validate
        try input.checkText()
        try DeadlineRules.check(input.ticketDueAt, field: "ticketDueAt", now: now)
        if let rid = input.clientRequestID, rid.isEmpty || rid.count > 128 {
            throw DomainError.invalid("clientRequestID", "clientRequestID must have 1 to 128 characters")
        }
        guard let matter = ctx.catalog.matter(input.matterCode) else {
            throw DomainError.invalid(
                "matterCode", "matter class '\(input.matterCode)' is not in the catalog", code: "matter.unknown")
        }
        let description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw DomainError.invalid("description", "description must not be empty") }
        guard description.count <= Self.maxDescription else {
            throw DomainError.invalid("description", "description is longer than \(Self.maxDescription) characters")
        }
        let point = GeoPoint(lat: input.lat, lon: input.lon)
        guard point.isValid else { throw DomainError.invalid("lat", "lat/lon are not WGS84 coordinates") }
        guard let placement = ctx.map.place(point) else {
            throw DomainError.invalid(
                "lat", "location (\(input.lat), \(input.lon)) is outside the city's unit grids", code: "location.outside_city")
        }
        guard actor.covers(gridCode: placement.gridCode) else {
            throw DomainError(
                .forbidden, code: "report.outside_grids", "grid \(placement.gridCode) is not among your assigned grids", field: "lat")
        }
        if let cid = input.componentID {
            guard try await platform.store.component(id: cid) != nil else {
                throw DomainError.invalid("componentID", "component '\(cid)' does not exist", code: "component.not_found")
            }
        }
        let evidence = input.evidence ?? []
        guard evidence.count <= 20 else { throw DomainError.invalid("evidence", "at most 20 evidence files per report") }
        for id in evidence where !(try await platform.media.exists(id)) {
            throw DomainError.invalid("evidence", "evidence '\(id)' has not been uploaded", code: "media.not_found")
        }
        if input.selfHandled == true, actor.role != .inspector {
            throw DomainError.invalid("selfHandled", "only inspectors report self-handled cases")
        }
        if let phone = input.reporterPhone, phone.count > 32 || !phone.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == " " }) {
            throw DomainError.invalid("reporterPhone", "reporterPhone is not a phone number")
        }
        if let email = input.reporterEmail, email.count > 254 || email.split(separator: "@").count != 2 || email.contains(" ") {
            throw DomainError.invalid("reporterEmail", "reporterEmail is not an email address")
        }
        if let ticket = input.ticket, ticket.isEmpty || ticket.count > 64 {
            throw DomainError.invalid("ticket", "ticket must have 1 to 64 characters")
        }
        if let text = input.callbackURL {
            guard [.partner, .admin, .system].contains(actor.role) else {
                throw DomainError.invalid("callbackURL", "only partner systems give a callback URL")
            }
            try platform.callbacks.check(text)
        }

        let id = CaseID(platform.ids.next())
        // A signed-in citizen who gives no phone is told of progress on the account's phone.
        var phone = input.reporterPhone
        if phone == nil, actor.role == .citizen { phone = try await platform.store.user(id: actor.userID)?.phone }
        let reporter = Reporter(
            userID: actor.role == .system ? nil : actor.userID, name: input.reporterName, phone: phone,
            email: input.reporterEmail, source: source, caseID: id, ticket: input.ticket, ticketDueAt: input.ticketDueAt.map(Self.millis),
            callbackURL: input.callbackURL)
        var record = CaseRecord(
            id: id, clientRequestID: input.clientRequestID, source: source, matterCode: matter.code,
            componentID: input.componentID, description: description, address: input.address, point: point,
            placement: placement, urgency: input.urgency ?? .normal, state: .pendingFiling,
            reporters: [reporter],
            evidence: evidence, createdAt: Self.millis(now))
        let (started, event) = CaseWorkflow.start(
            record, actor: actor, selfHandled: input.selfHandled == true, verifyFirst: verifyFirst, at: record.createdAt, policy: ctx.policy)
        record = started
        let sealed = event.sealed(after: CaseEvent.genesisHash, hasher: platform.hasher)
        let prefix = CaseRecord.numberPrefix(matterCode: matter.code, date: ctx.policy.calendar.compactDate(now))
        // The duplicate candidates are read in the same transaction that stores the case.
        let dup = ctx.duplicates
        // A report of the same class where a case was closed lately repeats it (复发): linked, and counted.
        let creation = try await platform.store.createCase(
            record, firstEvent: sealed, numberPrefix: prefix, nearby: dup.query(matterCode: matter.code, around: point, now: now),
            recurrence: ctx.recurrence.lookup(matterCode: matter.code, at: point, now: now))
        let stored = creation.record
        if !creation.created, let differs = Self.differingField(stored, input, description: description) {
            // The same key with another report is a client bug; answering with the first case would hide it.
            throw DomainError(
                .conflict, code: "idempotency.mismatch",
                "clientRequestID '\(input.clientRequestID ?? "")' was already used for case \(stored.number) with a different \(differs); "
                    + "send the same body to get that case again, or a new clientRequestID for a new report",
                field: "clientRequestID")
        }
        if creation.created {
            platform.live.publish(LiveItem(event: LiveEvent(case: stored, previous: nil, action: CaseAction.report.rawValue, at: now), record: stored))
            Counter(label: "cityloop_reports_total", dimensions: [("channel", stored.source.rawValue)]).increment()
        }
        let duplicates = Self.duplicates(of: stored, among: creation.nearby, policy: dup, now: now)
        return ReportResult(
            case: stored.visible(to: actor.role, userID: actor.userID), created: creation.created,
            duplicates: try await visibleDuplicates(duplicates, to: actor),
            trackingCode: platform.tracking.code(for: stored.number))
    }

    /// The first field in which a repeated report differs from the case its idempotency key found, or nil when it
    /// is the same report. Only what the reporter sent and no action changes later is compared (a correction may move
    /// the case or change its class; the description and the reporter's own data stay).
    static func differingField(_ stored: CaseRecord, _ input: ReportInput, description: String) -> String? {
        if stored.description != description { return "description" }
        guard let first = stored.reporters.first else { return nil }
        // (A citizen's phone may come from the account, so only what the repeat itself gives is compared.)
        if let v = input.reporterName, v != first.name { return "reporterName" }
        if let v = input.reporterPhone, v != first.phone { return "reporterPhone" }
        if let v = input.reporterEmail, v != first.email { return "reporterEmail" }
        if let v = input.ticket, v != first.ticket { return "ticket" }
        if let s = input.source, s != first.source { return "source" }
        return nil
    }

    /// Open cases the given case may duplicate, as far as `actor` may see them (a citizen: their own reports only).
    public func duplicateCandidates(for c: CaseRecord, actor: Actor? = nil) async throws -> [DuplicateCandidate] {
        let dup = platform.context.duplicates
        let now = platform.clock.now()
        let candidates = try await platform.store.openCases(dup.query(matterCode: c.matterCode, around: c.point, now: now))
        return try await visibleDuplicates(Self.duplicates(of: c, among: candidates, policy: dup, now: now), to: actor)
    }

    static func duplicates(of c: CaseRecord, among candidates: [CaseSummary], policy: DuplicatePolicy, now: Date) -> [DuplicateCandidate] {
        policy.duplicates(of: c.matterCode, at: c.point, excluding: c.id, among: candidates, now: now).filter { $0.state != .merged }
    }

    /// The channel a report is recorded under: the actor's role decides, with a choice for operators and partners.
    static func source(for input: ReportInput, actor: Actor) throws -> CaseSource {
        let allowed: [CaseSource]
        switch actor.role {
        case .citizen: allowed = [.citizen]
        case .inspector: allowed = [.inspector]
        case .operator, .shiftLead: allowed = [.operator, .hotline, .citizen]
        // Partners also forward the public's reports (an Open311 client such as FixMyStreet).
        case .partner: allowed = [.partner, .hotline, .sensor, .video, .citizen]
        case .admin, .system: allowed = CaseSource.allCases
        case .dispatcher, .handler, .leader:
            throw DomainError.forbidden("role \(actor.role.rawValue) does not report cases")
        }
        let s = input.source ?? allowed[0]
        guard allowed.contains(s) else {
            throw DomainError.invalid(
                "source", "role \(actor.role.rawValue) may report as \(allowed.map(\.rawValue).joined(separator: ", ")), not \(s.rawValue)")
        }
        return s
    }

    static func millis(_ d: Date) -> Date { Date(timeIntervalSince1970: (d.timeIntervalSince1970 * 1000).rounded() / 1000) }

    /// Takes an action on a case, with the platform's automatic follow-ups (dispatch after filing, check after
    /// handling), and for merges the change of the target case, all in one atomic commit. Retries on a
    /// concurrent change.
    public func act(_ action: CaseAction, caseID: CaseID, input: ActionInput, actor: Actor) async throws -> CaseRecord {
        try await act(action, caseID: caseID, input: input, actor: actor, scopeChecked: false).record
    }

    /// `act`, answered with the case's detail as the actor sees it, built from what the change already holds (the
    /// case, its whole history) rather than read back: once committed, the answer cannot fail.
    /// When the personal-data read cannot be recorded, the detail is still shown and the error handed back for the log.
    public func actShowing(_ action: CaseAction, caseID: CaseID, input: ActionInput, actor: Actor) async throws -> (
        detail: CaseDetail, auditError: (any Error)?
    ) {
        let (record, timeline) = try await act(action, caseID: caseID, input: input, actor: actor, scopeChecked: false)
        return await shownAfterCommit(record, timeline: timeline, actor: actor)
    }

    /// `act`, with `scopeChecked` true when the caller proved otherwise that it may act on the case (the reporter's
    /// tracking code).
    func act(_ action: CaseAction, caseID: CaseID, input: ActionInput, actor: Actor, scopeChecked: Bool) async throws -> (
        record: CaseRecord, timeline: [CaseEvent]
    ) {
        // Text first: an event that could not be read back must never be committed, whatever the channel.
        try input.checkText()
        for attempt in 1...5 {
            do {
                return try await actOnce(action, caseID: caseID, input: input, actor: actor, scopeChecked: scopeChecked)
            } catch let e as DomainError where e.code == "case.changed" && attempt < 5 {
                continue
            }
        }
        throw DomainError(.conflict, code: "case.changed", "case kept changing; try again")
    }

    private func actOnce(_ action: CaseAction, caseID: CaseID, input: ActionInput, actor: Actor, scopeChecked: Bool) async throws -> (
        record: CaseRecord, timeline: [CaseEvent]
    ) {
        guard action != .report, action != .linkReport else {
            throw DomainError.invalid("action", "\(action.rawValue) is not an action on an existing case")
        }
        let ctx = platform.context
        let now = Self.millis(platform.clock.now())
        let current = try await findCase(caseID)
        if !scopeChecked { try ensureVisible(current, to: actor) }
        // The history before the change: what the change does to the kept sums is computed from it here, so the
        // store never reads the case again (the version check refuses the change if it moved meanwhile).
        let history = try await platform.store.events(caseID: current.id)
        var input = input
        if action == .correct { input = try correction(input, context: ctx) }
        // A merge names its target by ID or by case number (案件编号), as staff read it off the screen.
        if action == .merge, let ref = input.targetCaseID, let target = try await platform.store.caseRecord(number: ref.rawValue) {
            input.targetCaseID = target.id
        }
        var (record, event) = try CaseWorkflow.apply(action, to: current, input: input, actor: actor, at: now, policy: ctx.policy)
        for id in input.evidence where !(try await platform.media.exists(id)) {
            throw DomainError.invalid("evidence", "evidence '\(id)' has not been uploaded", code: "media.not_found")
        }
        var events = [event]
        var changes: [CaseChange] = []

        if action == .file, ctx.policy.autoDispatch {
            switch ctx.policy.responsibilities.route(
                matter: record.matterCode, gridCode: record.placement.gridCode, urgency: record.urgency, calendar: ctx.policy.calendar)
            {
            case .department:
                let after = record
                (record, event) = try CaseWorkflow.apply(.dispatch, to: after, input: ActionInput(), actor: .system, at: now, policy: ctx.policy)
                events.append(event)
            case .noOwner:
                record.noOwner = true
            }
        }
        if action == .reportHandled, ctx.policy.autoSendCheck {
            (record, event) = try CaseWorkflow.apply(.sendCheck, to: record, input: ActionInput(), actor: .system, at: now, policy: ctx.policy)
            events.append(event)
        }
        if action == .merge, let targetID = input.targetCaseID {
            guard var target = try await platform.store.caseRecord(id: targetID) else {
                throw DomainError.invalid("targetCaseID", "case '\(targetID)' does not exist", code: "case.not_found")
            }
            guard target.state.isOpen, target.state != .merged else {
                throw DomainError(.invalidTransition, code: "merge.target_closed", "target case \(target.number) is \(target.state.rawValue); merge into an open case")
            }
            let before = target
            target.reporters += current.reporters.filter { r in !target.reporters.contains(r) }
            target.updatedAt = now
            target.version += 1
            let link = CaseEvent(
                caseID: target.id, seq: before.eventCount + 1, action: .linkReport, fromState: target.state, toState: target.state,
                actor: actor, at: now, comment: input.comment, details: ["mergedCase": current.id.rawValue, "mergedNumber": current.number])
            changes.append(seal(target, [link], from: before, history: try await platform.store.events(caseID: target.id)))
        }
        changes.insert(seal(record, events, from: current, history: history), at: 0)
        // Reporters' notices go into the outbox in the same commit, so none is lost or sent for a change that failed.
        let departments = ctx.departments
        let names: (DepartmentID) -> (zh: String, en: String)? = { id in departments[id].map { ($0.name, $0.nameEn) } }
        let notices =
            (action == .merge && changes.count == 2
                ? ReporterNotice.merge(of: current, into: changes[1].record, at: now)
                : ReporterNotice.progress(of: changes[0].record, after: action, comment: input.comment, department: names, at: now))
            + ReporterNotice.callbacks(of: changes[0].record, from: current.state, comment: input.comment, department: names, at: now)
        try await platform.store.commit(changes, notices: notices)
        if !notices.isEmpty { platform.notices.kick() }
        for (i, change) in changes.enumerated() {
            let before = i == 0 ? current.state : change.record.state
            let name = i == 0 ? action.rawValue : CaseAction.linkReport.rawValue
            platform.live.publish(LiveItem(event: LiveEvent(case: change.record, previous: before, action: name, at: now), record: change.record))
        }
        // The change is committed: nothing after this point may turn its answer into an error. The component's
        // state is derived from its case and set again by the case's next change.
        try? await updateComponent(for: changes[0].record, previous: current.state)
        return (changes[0].record, history + changes[0].events)
    }

    /// Checks a correction's matter class and location against the catalog and the map, and resolves the location's
    /// grid (更正 before filing).
    func correction(_ input: ActionInput, context ctx: CityContext) throws -> ActionInput {
        var input = input
        input.placement = nil
        if let m = input.matterCode, ctx.catalog.matter(m) == nil {
            throw DomainError.invalid("matterCode", "matter class '\(m)' is not in the catalog", code: "matter.unknown")
        }
        switch (input.lat, input.lon) {
        case (nil, nil): break
        case (let lat?, let lon?):
            let point = GeoPoint(lat: lat, lon: lon)
            guard point.isValid else { throw DomainError.invalid("lat", "lat/lon are not WGS84 coordinates") }
            guard let placement = ctx.map.place(point) else {
                throw DomainError.invalid("lat", "location (\(lat), \(lon)) is outside the city's unit grids", code: "location.outside_city")
            }
            input.placement = placement
        default: throw DomainError.invalid(input.lat == nil ? "lat" : "lon", "give both lat and lon")
        }
        if let a = input.address, a.count > 200 { throw DomainError.invalid("address", "address is longer than 200 characters") }
        return input
    }

    /// The case with this ID, or with this case number; `notFound` otherwise.
    func findCase(_ idOrNumber: CaseID) async throws -> CaseRecord {
        if let c = try await platform.store.caseRecord(id: idOrNumber) { return c }
        if let c = try await platform.store.caseRecord(number: idOrNumber.rawValue) { return c }
        throw DomainError.notFound("case", idOrNumber.rawValue)
    }

    /// Seals events onto the chain of `before`, whose events so far are `history` (see
    /// `CaseChange.init(sealing:events:after:history:hasher:)`).
    func seal(_ record: CaseRecord, _ events: [CaseEvent], from before: CaseRecord, history: [CaseEvent]) -> CaseChange {
        CaseChange(sealing: record, events: events, after: before, history: history, hasher: platform.hasher)
    }

    /// A component's state follows its case: under repair once filed, intact once closed or voided.
    func updateComponent(for c: CaseRecord, previous: CaseState) async throws {
        guard let cid = c.componentID, var comp = try await platform.store.component(id: cid) else { return }
        let newState: ComponentState?
        switch c.state {
        case .pendingDispatch, .dispatched, .inProgress: newState = comp.state == .intact ? .underRepair : nil
        case .closed, .voided: newState = comp.state == .underRepair ? .intact : nil
        default: newState = nil
        }
        guard let s = newState, s != comp.state else { return }
        comp.state = s
        comp.changedAt = c.updatedAt
        try await platform.store.saveComponents([comp])
    }
}
