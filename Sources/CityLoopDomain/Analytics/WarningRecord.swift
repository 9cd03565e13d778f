import Foundation

/// An early warning as the platform keeps it (预警记录): which area and class, the alert's figures, when it was
/// raised, and the supervision task it became, if any.
public struct WarningRecord: Hashable, Codable, Sendable, Identifiable {
    /// `area|matter|first day of the window`: one record per series and window, however often it is scanned.
    public var id: String
    /// The area (district or street code); empty for the whole city.
    public var areaCode: String
    /// The area's name.
    public var areaName: String
    /// The major class (2 digits) or class (5 digits).
    public var matterCode: String
    /// The class's name.
    public var matterName: String
    /// The alert.
    public var alert: EarlyWarningAlert
    /// When the scan raised it.
    public var raisedAt: Date
    /// The case opened for an inspector to look into it on site (督查任务), once it became one.
    public var taskCaseID: CaseID?
    /// That case's number.
    public var taskCaseNumber: String?

    /// Creates a record.
    public init(areaCode: String, areaName: String, matterCode: String, matterName: String, alert: EarlyWarningAlert, raisedAt: Date, firstDay: Int) {
        id = "\(areaCode.isEmpty ? "city" : areaCode)|\(matterCode)|\(firstDay)"
        self.areaCode = areaCode
        self.areaName = areaName
        self.matterCode = matterCode
        self.matterName = matterName
        self.alert = alert
        self.raisedAt = raisedAt
        taskCaseID = nil
        taskCaseNumber = nil
    }
}
