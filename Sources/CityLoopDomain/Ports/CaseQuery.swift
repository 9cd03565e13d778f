import Foundation

/// A filter over cases, with paging. Every field is optional; set fields are combined with AND.
public struct CaseQuery: Hashable, Codable, Sendable {
    /// Only these states.
    public var states: [CaseState] = []
    /// Only matters whose code starts with this (a 2-digit major class or a 5-digit class).
    public var matterPrefix: String?
    /// Only cases whose lead department is this.
    public var departmentID: DepartmentID?
    /// Only cases where this department leads or assists.
    public var involvingDepartmentID: DepartmentID?
    /// Only cases in the area with this code (district, street or community: a prefix of the grid code).
    public var areaCode: String?
    /// Only this grid.
    public var gridCode: String?
    /// Only grids starting with one of these prefixes (an inspector's scope).
    public var gridPrefixes: [String] = []
    /// Only this source.
    public var source: CaseSource?
    /// Only cases rated this way (满意度).
    public var satisfaction: Satisfaction?
    /// Only cases reported by this user.
    public var reporterUserID: UserID?
    /// Reported at or after.
    public var createdFrom: Date?
    /// Reported before.
    public var createdTo: Date?
    /// Only cases whose current step is overdue at this instant.
    public var overdueAt: Date?
    /// Only cases with a running deadline before this instant (overdue or due soon).
    public var dueBefore: Date?
    /// Page size (1–1000).
    public var limit: Int = 50
    /// Items to skip.
    public var offset: Int = 0

    /// Creates an empty query (every case, first page).
    public init() {}

    /// Whether a case passes every filter (the reference semantics every store must match).
    public func matches(_ c: CaseRecord) -> Bool {
        if !states.isEmpty, !states.contains(c.state) { return false }
        if let m = matterPrefix, !c.matterCode.hasPrefix(m) { return false }
        if let d = departmentID, c.leadDepartmentID != d { return false }
        if let d = involvingDepartmentID, c.leadDepartmentID != d, !c.assistingDepartmentIDs.contains(d) { return false }
        if let a = areaCode, !c.placement.gridCode.hasPrefix(a) { return false }
        if let g = gridCode, c.placement.gridCode != g { return false }
        if !gridPrefixes.isEmpty, !gridPrefixes.contains(where: { c.placement.gridCode.hasPrefix($0) }) { return false }
        if let s = source, c.source != s { return false }
        if let s = satisfaction, c.satisfaction != s { return false }
        if let u = reporterUserID, !c.reporters.contains(where: { $0.userID == u }) { return false }
        if let f = createdFrom, c.createdAt < f { return false }
        if let t = createdTo, c.createdAt >= t { return false }
        if let o = overdueAt, !c.isOverdue(at: o) { return false }
        if let b = dueBefore {
            guard c.state.hasDeadline, let due = c.stepDueAt, due < b else { return false }
        }
        return true
    }
}

/// One page of cases, newest first, with the total matching count.
public struct CasePage: Hashable, Codable, Sendable {
    /// The cases on this page.
    public var items: [CaseRecord]
    /// How many cases match in all.
    public var total: Int

    /// Creates a page.
    public init(items: [CaseRecord], total: Int) {
        self.items = items
        self.total = total
    }
}

/// A filter over components, with paging.
public struct ComponentQuery: Hashable, Codable, Sendable {
    /// Only this grid, or grids under this area code prefix.
    public var areaCode: String?
    /// Only classes starting with this (2-digit major or 5-digit class).
    public var classPrefix: String?
    /// Only this state.
    public var state: ComponentState?
    /// Page size.
    public var limit: Int = 100
    /// Items to skip.
    public var offset: Int = 0

    /// Creates an empty query.
    public init() {}

    /// Whether a component passes every filter.
    public func matches(_ c: Component) -> Bool {
        if let a = areaCode, !c.gridCode.hasPrefix(a) { return false }
        if let p = classPrefix, !c.classCode.hasPrefix(p) { return false }
        if let s = state, c.state != s { return false }
        return true
    }
}

/// One page of components, ordered by ID.
public struct ComponentPage: Hashable, Codable, Sendable {
    /// The components on this page.
    public var items: [Component]
    /// How many match in all.
    public var total: Int

    /// Creates a page.
    public init(items: [Component], total: Int) {
        self.items = items
        self.total = total
    }
}
