import CityLoopDomain
import CityLoopServices
import Foundation

/// Generates weeks (or a year) of realistic case history by running the real workflow: every case's events
/// are produced by `CaseWorkflow` at plausible working times and sealed on the hash chain, so the history
/// verifies and the cases end in every state (recent ones still open, older ones mostly closed).
public struct DemoHistory: Sendable {
    let seed: UInt64
    let scale: DemoScale
    let grids: [UnitGrid]
    let policy: WorkflowPolicy
    let now: Date
    let hotGrids: [Int]
    let gridByCode: [String: Int]

    /// Frequent matters and their weights.
    public static let matters: [(String, Double)] = [
        ("06010", 14), ("09001", 10), ("07001", 9), ("06012", 8), ("06036", 6), ("09005", 7), ("06011", 4), ("06042", 4),
        ("06013", 4), ("01001", 3), ("01002", 2), ("01006", 2), ("02004", 2), ("03001", 2), ("04001", 1), ("08001", 3),
        ("08005", 2), ("08003", 1), ("06001", 2), ("07002", 3), ("09004", 2), ("10001", 1),
    ]
    static let sources: [(CaseSource, Double)] = [(.inspector, 60), (.citizen, 18), (.hotline, 15), (.partner, 4), (.video, 3)]

    /// Prepares a generator.
    public init(seed: UInt64, scale: DemoScale, grids: [UnitGrid], policy: WorkflowPolicy, now: Date) {
        self.seed = seed
        self.scale = scale
        self.grids = grids
        self.policy = policy
        self.now = now
        var rng = DemoRandom(seed: seed, stream: 2)
        hotGrids = (0..<max(1, grids.count / 20)).map { _ in Int(rng.next() % UInt64(grids.count)) }
        gridByCode = Dictionary(grids.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The creation time of case `i`: spread evenly over the history, warped so most reports come in the daytime.
    /// Monotonic in `i`, so case numbers follow creation order.
    func createdAt(_ i: Int) -> Date {
        let span = Double(scale.historyDays) * 86400
        let start = now.timeIntervalSince1970 - span
        let t = start + (Double(i) + 0.5) * span / Double(scale.cases)
        let off = Double(policy.calendar.utcOffsetSeconds)
        let local = t + off
        let day = (local / 86400).rounded(.down) * 86400
        let f = (local - day) / 86400
        // 15% of a day's reports from 00:00 to 07:00, 75% from 07:00 to 19:00, 10% until midnight.
        let warped: Double
        if f < 0.15 { warped = f / 0.15 * (7.0 / 24) } else if f < 0.9 { warped = 7.0 / 24 + (f - 0.15) / 0.75 * (12.0 / 24) } else {
            warped = 19.0 / 24 + (f - 0.9) / 0.1 * (5.0 / 24)
        }
        return Date(timeIntervalSince1970: ((day + warped * 86400 - off) * 1000).rounded() / 1000)
    }

    /// The case-number prefix of case `i` (C/E + class + local date), from the same random draws as `generate`.
    func numberPrefix(_ i: Int) -> String {
        var rng = DemoRandom(seed: seed, stream: 1000 + UInt64(i))
        _ = rng.unit() < 0.3 ? hotGrids[Int(rng.next() % UInt64(hotGrids.count))] : Int(rng.next() % UInt64(grids.count))
        return CaseRecord.numberPrefix(matterCode: rng.weighted(Self.matters), date: policy.calendar.compactDate(createdAt(i)))
    }

    /// Case numbers for `range`, in creation order; `sequences` carries the counters between calls.
    public func numbers(_ range: Range<Int>, sequences: inout [String: Int]) -> [String] {
        range.map { i in
            let prefix = numberPrefix(i)
            let seq = (sequences[prefix] ?? 0) + 1
            sequences[prefix] = seq
            return prefix + String(zeroPadded: seq, width: 5)
        }
    }

    /// Generates cases `range` with their events, numbered by `numbers` (from `numbers(_:sequences:)`).
    /// Independent of other ranges, so ranges can be generated in parallel.
    public func generate(_ range: Range<Int>, numbers: ArraySlice<String>) -> [(CaseRecord, [CaseEvent])] {
        let hasher = SHA256Hasher()
        var out: [(CaseRecord, [CaseEvent])] = []
        out.reserveCapacity(range.count)
        for (i, number) in zip(range, numbers) { out.append(one(i, number: number, hasher: hasher)) }
        return out
    }

    /// Case `i` with its history: a pure function of the seed and `i`.
    func one(_ i: Int, number: String, hasher: SHA256Hasher) -> (CaseRecord, [CaseEvent]) {
        var rng = DemoRandom(seed: seed, stream: 1000 + UInt64(i))
        let created = createdAt(i)
        let gi = rng.unit() < 0.3 ? hotGrids[Int(rng.next() % UInt64(hotGrids.count))] : Int(rng.next() % UInt64(grids.count))
        var grid = grids[gi]
        let matter = rng.weighted(Self.matters)
        let source = rng.weighted(Self.sources)
        var point = Self.randomPoint(in: grid.boundary, &rng)
        let id = CaseID(
            "demo-" + String(zeroPadded: Int(UInt32(truncatingIfNeeded: seed)), width: 8, radix: 16) + "-"
                + String(zeroPadded: i, width: 8, radix: 16))
        // Some problems come back where they were fixed (复发): the same class at the place of an earlier case closed
        // within the last 30 days.
        let earlier = repeated(i, matter: matter, created: created, hasher: hasher)
        if let (_, basePoint, baseGrid) = earlier {
            var near = DemoRandom(seed: seed, stream: 7_000_000 + UInt64(i))
            let moved = basePoint.offset(eastMetres: (near.unit() - 0.5) * 20, northMetres: (near.unit() - 0.5) * 20)
            point = baseGrid.boundary.contains(moved) ? moved : basePoint
            grid = baseGrid
        }
        let reporterActor = Self.reporter(for: source, street: grid.streetCode)
        var c = CaseRecord(
            id: id, number: number, source: source, matterCode: matter,
            description: "演示案件：\(matter) @ \(grid.code)", point: point, placement: Placement(grid: grid),
            urgency: rng.unit() < 0.05 ? .urgent : .normal, state: .pendingFiling,
            reporters: [Reporter(userID: reporterActor.userID, name: source == .hotline ? "热线市民" : nil,
                                 phone: source == .hotline ? "1390000\(String(zeroPadded: i % 10000, width: 4))" : nil, source: source, caseID: id)],
            createdAt: created)
        c.recurrenceOf = earlier?.0
        // A few inspector reports were fixed on the spot (自处理) and wait for the shift lead's review.
        let selfHandled = source == .inspector && rng.unit() < 0.04
        var (started, first) = CaseWorkflow.start(c, actor: reporterActor, selfHandled: selfHandled, at: created, policy: policy)
        first = first.sealed(after: CaseEvent.genesisHash, hasher: hasher)
        started.eventCount = 1
        started.lastEventHash = first.hash
        c = started
        var events = [first]
        simulate(&c, &events, &rng, hasher: hasher)
        return (c, events)
    }

    /// For about 3 % of cases: the latest earlier case of the same class reported a few days before, when it was
    /// closed within 30 days before case `i` (its ID, point and grid); nil otherwise. Classes are read from the
    /// cases' first random draws, as `numberPrefix` does, so only the one earlier case found is generated again.
    func repeated(_ i: Int, matter: String, created: Date, hasher: SHA256Hasher) -> (CaseID, GeoPoint, UnitGrid)? {
        var roll = DemoRandom(seed: seed, stream: 6_000_000 + UInt64(i))
        guard roll.unit() < 0.03 else { return nil }
        let perDay = max(1, scale.cases / max(1, scale.historyDays))
        let start = i - 3 * perDay
        guard start > 0 else { return nil }
        for j in stride(from: start, to: max(-1, start - 2 * perDay), by: -1) {
            var draws = DemoRandom(seed: seed, stream: 1000 + UInt64(j))
            _ = draws.unit() < 0.3 ? hotGrids[Int(draws.next() % UInt64(hotGrids.count))] : Int(draws.next() % UInt64(grids.count))
            guard draws.weighted(Self.matters) == matter else { continue }
            let (base, _) = one(j, number: "", hasher: hasher)
            guard base.state == .closed, let closed = base.closedAt, closed < created, created.timeIntervalSince(closed) <= 30 * 86_400 else { return nil }
            return (base.id, base.point, grids[gridByCode[base.placement.gridCode] ?? 0])
        }
        return nil
    }

    static func randomPoint(in p: Polygon, _ rng: inout DemoRandom) -> GeoPoint {
        guard p.outer.count == 4 else { return p.interiorPoint }
        let u = 0.1 + 0.8 * rng.unit(), v = 0.1 + 0.8 * rng.unit()
        let a = p.outer[0], b = p.outer[1], c = p.outer[2], d = p.outer[3]
        func mix(_ x: KeyPath<GeoPoint, Double>) -> Double {
            (1 - u) * (1 - v) * a[keyPath: x] + u * (1 - v) * b[keyPath: x] + u * v * c[keyPath: x] + (1 - u) * v * d[keyPath: x]
        }
        return GeoPoint(lat: mix(\.lat), lon: mix(\.lon))
    }

    static func reporter(for source: CaseSource, street: String) -> Actor {
        switch source {
        case .inspector: Actor(userID: UserID("u-inspector-\(street)"), name: "inspector-\(street)", role: .inspector, gridScopes: [street])
        case .citizen: Actor(userID: "u-citizen", name: "citizen", role: .citizen)
        case .hotline: Actor(userID: "u-operator", name: "operator", role: .operator)
        default: Actor(userID: "u-partner", name: "partner", role: .partner)
        }
    }

    /// Moves the case through the loop until its next step would lie in the future.
    func simulate(_ c: inout CaseRecord, _ events: inout [CaseEvent], _ rng: inout DemoRandom, hasher: SHA256Hasher) {
        var t = c.createdAt
        let cal = policy.calendar
        let street = c.placement.streetCode
        let inspector = Actor(userID: UserID("u-inspector-\(street)"), name: "inspector-\(street)", role: .inspector, gridScopes: [street])
        let op = Actor(userID: "u-operator", name: "operator", role: .operator)
        let lead = Actor(userID: "u-shiftlead", name: "shiftlead", role: .shiftLead)
        let dispatcher = Actor(userID: "u-dispatcher", name: "dispatcher", role: .dispatcher)
        var reworked = false
        var returned = false
        // Some recent cases stall at a random step, so the demo shows every state and real overdue lists.
        let recent = c.createdAt > now.addingTimeInterval(-4 * 86400)
        let stallAt = recent && rng.unit() < 0.35 ? Int(rng.next() % 9) : Int.max
        for stepNumber in 0..<20 {
            if stepNumber == stallAt { return }
            var step: (CaseAction, Actor, ActionInput, Int)?  // action, actor, input, working minutes until it happens
            func handler() -> Actor {
                let d = c.leadDepartmentID?.rawValue ?? "sanitation"
                return Actor(userID: UserID(d == "sanitation" ? "u-handler" : "u-handler-\(d)"), name: "handler-\(d)", role: .handler, departmentID: c.leadDepartmentID)
            }
            let r = rng.unit()
            switch c.state {
            case .pendingVerification:
                step = r < 0.05 ? (.refute, inspector, ActionInput(comment: "现场未发现"), 30) : (.verify, inspector, ActionInput(), 10 + Int(rng.next() % 70))
            case .pendingFiling:
                step = r < 0.04 ? (.reject, op, ActionInput(comment: "不属于受理范围"), 15) : (.file, lead, ActionInput(), 5 + Int(rng.next() % 35))
            case .pendingDispatch:
                step = (.dispatch, dispatcher, ActionInput(), 5 + Int(rng.next() % 40))
            case .dispatched:
                if r < 0.02 && !returned {
                    returned = true
                    step = (.requestReturn, handler(), ActionInput(comment: "非本部门职责"), 20)
                } else {
                    step = (.accept, handler(), ActionInput(), 5 + Int(rng.next() % 55))
                }
            case .returnRequested:
                step = (.approveReturn, dispatcher, ActionInput(comment: "同意回退"), 15)
            case .inProgress:
                if r < 0.015 {
                    step = (.suspend, dispatcher, ActionInput(comment: "需列入改造计划，挂账"), 30)
                } else if r < 0.05 && c.pendingExtensionHours == nil && c.extensionCount == 0 {
                    step = (.requestExtension, handler(), ActionInput(comment: "需协调施工", extensionHours: 8), 30)
                } else if c.pendingExtensionHours != nil {
                    step = (.approveExtension, dispatcher, ActionInput(), 20)
                } else {
                    let limit = Double(c.handlingLimitMinutes ?? 480)
                    let factor = rng.unit() < 0.12 ? 1.05 + rng.unit() * 0.6 : 0.15 + rng.unit() * 0.8
                    step = (.reportHandled, handler(), ActionInput(comment: "已处置完毕"), max(10, Int(limit * factor)))
                }
            case .suspended:
                step = (.resume, dispatcher, ActionInput(comment: "恢复处置"), 60 * 24 + Int(rng.next() % 2000))
            case .handled:
                step = (.sendCheck, op, ActionInput(), 5 + Int(rng.next() % 35))
            case .pendingCheck:
                if r < 0.07 && !reworked {
                    reworked = true
                    step = (.checkFail, inspector, ActionInput(comment: "现场仍未处理完毕，返工"), 20 + Int(rng.next() % 60))
                } else {
                    step = (.checkPass, inspector, ActionInput(), 20 + Int(rng.next() % 70))
                }
            case .pendingClose:
                step = r < 0.01 ? (.void, lead, ActionInput(comment: "重复立案，作废"), 10) : (.close, lead, ActionInput(), 5 + Int(rng.next() % 25))
            case .selfHandled:
                step = (.approveSelfHandled, lead, ActionInput(comment: "自处理属实"), 10 + Int(rng.next() % 50))
            case .closed, .rejected, .voided, .merged:
                step = nil
            }
            guard let (action, actor, input, minutes) = step else { return }
            let at = Date(timeIntervalSince1970: (cal.adding(workingMinutes: minutes, to: t).timeIntervalSince1970 * 1000).rounded() / 1000)
            guard at <= now else { return }
            guard apply(action, actor, input, at, &c, &events, hasher) else { return }
            t = at
            if action == .file, policy.autoDispatch, apply(.dispatch, .system, ActionInput(), at, &c, &events, hasher) {}
        }
    }

    func apply(_ action: CaseAction, _ actor: Actor, _ input: ActionInput, _ at: Date, _ c: inout CaseRecord, _ events: inout [CaseEvent], _ hasher: SHA256Hasher) -> Bool {
        guard let (next, event) = try? CaseWorkflow.apply(action, to: c, input: input, actor: actor, at: at, policy: policy) else { return false }
        let sealed = event.sealed(after: c.lastEventHash, hasher: hasher)
        c = next
        c.eventCount = events.count + 1
        c.lastEventHash = sealed.hash
        events.append(sealed)
        return true
    }
}
