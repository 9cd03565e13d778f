import Foundation

/// The state of a component (部件状态).
public enum ComponentState: String, Codable, Sendable, CaseIterable {
    /// 完好
    case intact
    /// 破损
    case damaged
    /// 丢失
    case lost
    /// 废弃
    case abandoned
    /// 移除
    case removed
    /// Under repair because an open case is about it (维修中).
    case underRepair = "under_repair"
}

/// A managed component instance (城市部件): a manhole cover, street light, bin...
public struct Component: Hashable, Codable, Sendable {
    /// 17-digit ID: 6-digit GB/T 2260 district + 5-digit class code + 6-digit sequence.
    public var id: String
    /// The component class code (5 digits).
    public var classCode: String
    /// Name, e.g. 供水井盖.
    public var name: String
    /// Location.
    public var point: GeoPoint
    /// The unit grid containing it.
    public var gridCode: String
    /// The owning department.
    public var ownerDepartmentID: DepartmentID?
    /// The maintaining department.
    public var maintainerDepartmentID: DepartmentID?
    /// Current state.
    public var state: ComponentState
    /// Survey date.
    public var surveyedAt: Date
    /// Last change.
    public var changedAt: Date
    /// Free remark.
    public var remark: String?

    /// Creates a component.
    public init(
        id: String, classCode: String, name: String, point: GeoPoint, gridCode: String,
        ownerDepartmentID: DepartmentID? = nil, maintainerDepartmentID: DepartmentID? = nil,
        state: ComponentState = .intact, surveyedAt: Date, changedAt: Date, remark: String? = nil
    ) {
        self.id = id
        self.classCode = classCode
        self.name = name
        self.point = point
        self.gridCode = gridCode
        self.ownerDepartmentID = ownerDepartmentID
        self.maintainerDepartmentID = maintainerDepartmentID
        self.state = state
        self.surveyedAt = surveyedAt
        self.changedAt = changedAt
        self.remark = remark
    }

    /// Problems with a component ID, empty when well formed.
    public static func idProblems(_ id: String, classCode: String) -> [String] {
        guard AreaCodeRules.isDigits(id, length: 17) else { return ["component id '\(id)' must be 17 digits"] }
        let cls = id.dropFirst(6).prefix(5)
        if cls != classCode { return ["component id '\(id)' carries class \(cls), not \(classCode)"] }
        return []
    }
}
