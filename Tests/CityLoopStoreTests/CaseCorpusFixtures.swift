import CityLoopDomain
import Foundation

/// A small deterministic random generator (SplitMix64), so the corpus is the same on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A varied set of case histories: every state, several matters, departments (lead and assisting), grids,
/// sources, reporters, creation times (with ties) and deadlines (some left stale on ended cases).
enum CaseCorpus {
    static let matters = ["01001", "01002", "02005", "05003", "06001", "06012", "06101", "07001", "13002"]
    static let grids = [
        "110101001001001", "110101001001002", "110101001002001", "110101002001001", "110102001001001",
        "110102001001010", "110105003002007",
    ]
    /// `water` is a prefix of `water_supply`: an involvement filter must not confuse them.
    static let departments: [DepartmentID] = ["sanitation", "water", "water_supply", "roads", "greening"]
    static let reporters: [UserID?] = ["citizen-1", "citizen-2", "citizen-3", "inspector-7", nil]

    static func generate(count: Int = 300, seed: UInt64 = 20_260_302) throws -> [CaseHistory] {
        var rng = SeededRandom(seed: seed)
        var out: [CaseHistory] = []
        var lastCreated = Fixture.at(0)
        var sequences: [String: Int] = [:]
        for i in 0..<count {
            let source = CaseSource.allCases.randomElement(using: &rng)!
            let matter = matters.randomElement(using: &rng)!
            // Every 9th case shares its creation time with the previous one, to exercise the id tie-break.
            let createdAt = i % 9 == 8 ? lastCreated : Fixture.at(Double(rng.next() % 2_592_000_000) / 1000)
            lastCreated = createdAt
            let id = CaseID(String(format: "case-%016llx", rng.next()))
            let point = GeoPoint(lat: 39.9 + Double(rng.next() % 2000) / 100_000, lon: 116.4 + Double(rng.next() % 2000) / 100_000)
            let reported = Fixture.newCase(
                id: id, matter: matter, grid: grids.randomElement(using: &rng)!, source: source,
                reporter: reporters.randomElement(using: &rng)!, createdAt: createdAt,
                selfHandled: source == .inspector && rng.next() % 4 == 0, point: point)
            // Numbered per prefix in order, as a store numbering them live would.
            let prefix = CaseRecord.numberPrefix(matterCode: matter, date: Fixture.date)
            sequences[prefix, default: 0] += 1
            let number = prefix + String(format: "%05d", sequences[prefix]!)
            var h = CaseHistory(reported, number: number)
            var t = createdAt
            for _ in 0..<Int(rng.next() % 12) {
                guard !h.record.state.isTerminal else { break }
                t = t.addingTimeInterval(Double(300 + rng.next() % 200_000))
                let (action, input, actor) = nextStep(h.record, &rng)
                try h.apply(action, input: input, actor: actor, at: t)
            }
            if h.record.state.isOpen, rng.next() % 8 == 0, let extra = reporters.randomElement(using: &rng)! {
                // A merged duplicate's reporter joins the case (as CaseService does on merge).
                var linked = h.record
                linked.reporters.append(Reporter(userID: extra, source: .hotline, caseID: CaseID("case-merged-\(i)")))
                let (next, event) = try CaseWorkflow.apply(
                    .linkReport, to: linked, input: ActionInput(), actor: Fixture.operatorActor, at: t.addingTimeInterval(60),
                    policy: Fixture.policy)
                h.changes.append(Fixture.seal(next, [event], from: h.record, history: h.events))
            }
            if !h.record.state.hasDeadline, rng.next() % 3 == 0 {
                // A stale deadline on an ended or suspended case must not count as running.
                h.amend { $0.stepDueAt = createdAt.addingTimeInterval(3600) }
            }
            out.append(h)
        }
        return out
    }

    static func nextStep(_ c: CaseRecord, _ rng: inout SeededRandom) -> (CaseAction, ActionInput, Actor) {
        let roll = rng.next() % 10
        let why = ActionInput(comment: "reason \(roll)")
        switch c.state {
        case .pendingVerification:
            return roll < 7 ? (.verify, ActionInput(), Fixture.inspector) : (.refute, why, Fixture.inspector)
        case .pendingFiling:
            if roll == 0 { return (.merge, ActionInput(targetCaseID: "case-target"), Fixture.operatorActor) }
            return roll < 8 ? (.file, ActionInput(), Fixture.operatorActor) : (.reject, why, Fixture.operatorActor)
        case .selfHandled:
            return roll < 7 ? (.approveSelfHandled, ActionInput(), Fixture.shiftLead) : (.refuseSelfHandled, why, Fixture.shiftLead)
        case .pendingDispatch:
            if roll == 0 { return (.suspend, why, Fixture.dispatcher) }
            if roll == 1 { return (.void, why, Fixture.shiftLead) }
            var depts = departments.shuffled(using: &rng)
            let lead = depts.removeFirst()
            let assisting = Array(depts.prefix(Int(rng.next() % 3)))
            return (.dispatch, ActionInput(departmentID: lead, assistingDepartmentIDs: assisting), Fixture.dispatcher)
        case .dispatched:
            if roll == 0 { return (.requestReturn, why, Fixture.handler(c.leadDepartmentID)) }
            if roll == 1 { return (.urge, ActionInput(), Fixture.leader) }
            return (.accept, ActionInput(), Fixture.handler(c.leadDepartmentID))
        case .inProgress:
            if roll == 0 { return (.suspend, why, Fixture.dispatcher) }
            if roll == 1, c.pendingExtensionHours == nil {
                return (.requestExtension, ActionInput(extensionHours: 8), Fixture.handler(c.leadDepartmentID))
            }
            return (.reportHandled, ActionInput(comment: "fixed"), Fixture.handler(c.leadDepartmentID))
        case .returnRequested:
            return roll < 5 ? (.approveReturn, ActionInput(), Fixture.dispatcher) : (.refuseReturn, ActionInput(), Fixture.dispatcher)
        case .handled:
            return (.sendCheck, ActionInput(), Fixture.operatorActor)
        case .pendingCheck:
            return roll < 7 ? (.checkPass, ActionInput(), Fixture.inspector) : (.checkFail, why, Fixture.inspector)
        case .pendingClose:
            return (.close, ActionInput(), Fixture.shiftLead)
        case .suspended:
            return (.resume, ActionInput(), Fixture.dispatcher)
        case .closed, .rejected, .voided, .merged:
            return (.urge, ActionInput(), Fixture.leader)
        }
    }
}
