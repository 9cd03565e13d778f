import Foundation

/// Time limits of the steps other than handling (which comes from the responsibility list), in working
/// minutes. Local practice [L]; configurable.
public struct StepLimits: Hashable, Codable, Sendable {
    /// 核实: inspector verifies a public report.
    public var verify: Int
    /// 立案: operator or shift lead files or rejects.
    public var file: Int
    /// 派遣: dispatcher dispatches (also deciding returns and resumptions).
    public var dispatch: Int
    /// 接收: department accepts a dispatched task.
    public var accept: Int
    /// 派发核查: operator sends the check after handling.
    public var sendCheck: Int
    /// 核查: inspector checks on site.
    public var check: Int
    /// 结案: shift lead closes (also reviews self-handled cases).
    public var close: Int
    /// A case is "due soon" when at most this many working minutes remain.
    public var dueSoonMinutes: Int

    /// Creates limits; defaults are common practice in Chinese digital city management centres.
    public init(
        verify: Int = 60, file: Int = 30, dispatch: Int = 30, accept: Int = 60, sendCheck: Int = 30, check: Int = 60,
        close: Int = 30, dueSoonMinutes: Int = 60
    ) {
        self.verify = verify
        self.file = file
        self.dispatch = dispatch
        self.accept = accept
        self.sendCheck = sendCheck
        self.check = check
        self.close = close
        self.dueSoonMinutes = dueSoonMinutes
    }

    /// The working minutes allowed in a state, or nil when the state has no step deadline of its own
    /// (handling states use the handling deadline).
    public func minutes(for state: CaseState) -> Int? {
        switch state {
        case .pendingVerification: verify
        case .pendingFiling: file
        case .pendingDispatch, .returnRequested: dispatch
        case .handled: sendCheck
        case .pendingCheck: check
        case .pendingClose, .selfHandled: close
        case .dispatched, .inProgress, .suspended, .closed, .rejected, .voided, .merged: nil
        }
    }
}

/// Everything the workflow needs besides the case: calendar, limits, routing, departments.
public struct WorkflowPolicy: Sendable {
    /// The working calendar.
    public var calendar: WorkingCalendar
    /// Step limits.
    public var steps: StepLimits
    /// The responsibility list.
    public var responsibilities: ResponsibilityList
    /// Known departments (for checking manual dispatch).
    public var departments: Set<DepartmentID>
    /// Whether filed cases are dispatched automatically when the responsibility list names a department.
    public var autoDispatch: Bool
    /// Whether handled cases are sent for check automatically.
    public var autoSendCheck: Bool

    /// Creates a policy.
    public init(
        calendar: WorkingCalendar = WorkingCalendar(), steps: StepLimits = StepLimits(),
        responsibilities: ResponsibilityList = .empty, departments: Set<DepartmentID> = [], autoDispatch: Bool = true,
        autoSendCheck: Bool = false
    ) {
        self.calendar = calendar
        self.steps = steps
        self.responsibilities = responsibilities
        self.departments = departments
        self.autoDispatch = autoDispatch
        self.autoSendCheck = autoSendCheck
    }
}
