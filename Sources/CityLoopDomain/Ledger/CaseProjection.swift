import Foundation

/// The fields of a case row that its events determine, folded from the history the way `CaseWorkflow` changed
/// them. Verification compares them with the stored row, so an edited row (a description, a state, a department)
/// shows even when nobody touched the events. Deadlines are left out: they come from the working calendar and
/// step limits in force at the time, which the history does not hold.
public struct CaseProjection: Sendable {
    /// The state after the last event.
    public var state: CaseState?
    /// The matter class: reported, then corrected.
    public var matterCode: String?
    /// The unit grid: reported, then corrected.
    public var gridCode: String?
    /// The location, when a correction moved it (a report's first location is not in its event).
    public var correctedPoint: GeoPoint?
    /// The address, when a correction set it.
    public var correctedAddress: String?
    /// The citizen's description (the report's comment).
    public var description: String = ""
    /// The lead department.
    public var leadDepartmentID: DepartmentID?
    /// The assisting departments.
    public var assistingDepartmentIDs: [DepartmentID] = []
    /// The rating.
    public var satisfaction: Satisfaction?
    /// The case merged into.
    public var duplicateOf: CaseID?
    /// Urges, reworks and approved extensions.
    public var urgeCount = 0, reworkCount = 0, extensionCount = 0
    /// Whether a leader supervises the case.
    public var supervised = false
    /// Reported, filed and closed.
    public var createdAt: Date?, filedAt: Date?, closedAt: Date?

    /// Folds events (by position) into the fields they determine.
    public init(events: [CaseEvent]) {
        for e in events {
            let d = e.details
            switch e.action {
            case .report:
                matterCode = d["matter"]
                gridCode = d["grid"]
                description = e.comment ?? ""
                createdAt = e.at
            case .correct:
                if let m = d["matterCode"], let new = Self.after(m) { matterCode = new }
                if let g = d["grid"], let new = Self.after(g) { gridCode = new }
                if let l = d["location"], let new = Self.after(l) {
                    let parts = new.split(separator: ",")
                    if parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]) { correctedPoint = GeoPoint(lat: lat, lon: lon) }
                }
                if let a = d["address"] { correctedAddress = a }
            case .dispatch, .redispatch:
                leadDepartmentID = d["department"].map { DepartmentID($0) }
                assistingDepartmentIDs = d["assisting"].map { $0.split(separator: ",").map { DepartmentID(String($0)) } } ?? []
            case .approveReturn:
                leadDepartmentID = nil
                assistingDepartmentIDs = []
            case .reopen:
                leadDepartmentID = nil
                assistingDepartmentIDs = []
                satisfaction = nil
                closedAt = nil
                reworkCount += 1
            case .checkFail: reworkCount += 1
            case .urge: urgeCount += 1
            case .supervise: supervised = true
            case .approveExtension: extensionCount += 1
            case .merge: duplicateOf = d["targetCase"].map { CaseID($0) }
            case .rate: satisfaction = d["satisfaction"].flatMap(Satisfaction.init(rawValue:))
            default: break
            }
            if (e.action == .file || e.action == .approveSelfHandled), filedAt == nil { filedAt = e.at }
            if e.toState.isTerminal, e.fromState.map({ !$0.isTerminal }) ?? false { closedAt = e.at }
            state = e.toState
        }
    }

    /// The new value of a `old→new` detail.
    static func after(_ change: String) -> String? {
        guard let arrow = change.range(of: "→") else { return nil }
        return String(change[arrow.upperBound...])
    }

    /// The fields where `record` differs from what its events say, each as `field: stored X, history says Y`.
    public func differences(from record: CaseRecord) -> [String] {
        var out: [String] = []
        func check<T: Equatable>(_ name: String, _ stored: T, _ derived: T) {
            if stored != derived { out.append("\(name): stored \(Self.text(stored)), history says \(Self.text(derived))") }
        }
        func ms(_ d: Date?) -> Int64? { d.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } }
        if let state { check("state", record.state.rawValue, state.rawValue) }
        if let matterCode { check("matterCode", record.matterCode, matterCode) }
        if let gridCode { check("gridCode", record.placement.gridCode, gridCode) }
        if let p = correctedPoint { check("location", "\(record.point.lat),\(record.point.lon)", "\(p.lat),\(p.lon)") }
        if let a = correctedAddress { check("address", record.address ?? "", a) }
        check("description", record.description, description)
        check("leadDepartment", record.leadDepartmentID?.rawValue, leadDepartmentID?.rawValue)
        check("assisting", record.assistingDepartmentIDs.map(\.rawValue), assistingDepartmentIDs.map(\.rawValue))
        check("satisfaction", record.satisfaction?.rawValue, satisfaction?.rawValue)
        check("duplicateOf", record.duplicateOf?.rawValue, duplicateOf?.rawValue)
        check("urgeCount", record.urgeCount, urgeCount)
        check("reworkCount", record.reworkCount, reworkCount)
        check("extensionCount", record.extensionCount, extensionCount)
        check("supervised", record.supervised, supervised)
        if createdAt != nil { check("createdAt", ms(record.createdAt), ms(createdAt)) }
        check("filedAt", ms(record.filedAt), ms(filedAt))
        check("closedAt", ms(record.closedAt), ms(closedAt))
        return out
    }

    private static func text<T>(_ v: T) -> String {
        if let o = v as? (any OptionalProtocol) { return o.text }
        return "\(v)"
    }
}

private protocol OptionalProtocol { var text: String { get } }
extension Optional: OptionalProtocol {
    fileprivate var text: String {
        switch self {
        case .none: "none"
        case .some(let v): "\(v)"
        }
    }
}
