import Foundation

/// A case as an Open311 service request (GeoReport v2 `request`): public fields only, never the reporter.
public struct Open311Request: Hashable, Sendable {
    /// `service_request_id`: the case number.
    public var id: String
    /// `status`: `open` or `closed`.
    public var status: String
    /// `status_notes`: where the case stands, in plain words.
    public var statusNotes: String
    /// `service_name`.
    public var serviceName: String
    /// `service_code`.
    public var serviceCode: String
    /// `description`.
    public var description: String
    /// `agency_responsible`: the lead department, once dispatched.
    public var agencyResponsible: String?
    /// `requested_datetime`.
    public var requestedAt: Date
    /// `updated_datetime`.
    public var updatedAt: Date
    /// `expected_datetime`: when the current step is due, while one is running.
    public var expectedAt: Date?
    /// `address`.
    public var address: String?
    /// `lat`.
    public var lat: Double
    /// `long`.
    public var lon: Double

    /// The Open311 view of a case; `service` names its matter class, `department` its lead department.
    public init(
        case c: CaseRecord, lang: Open311Language, service: (String) -> String?, department: (DepartmentID) -> (zh: String, en: String)?
    ) {
        id = c.number
        status = c.state.isOpen ? "open" : "closed"
        let dept = c.leadDepartmentID.flatMap(department)
        statusNotes = Self.notes(c.state, lang: lang, department: dept.map { lang == .zh ? $0.zh : $0.en })
        serviceCode = c.matterCode
        serviceName = service(c.matterCode) ?? c.matterCode
        description = c.description
        agencyResponsible = dept.map { lang == .zh ? $0.zh : $0.en }
        requestedAt = c.createdAt
        updatedAt = c.updatedAt
        expectedAt = c.state.hasDeadline ? c.stepDueAt : nil
        address = c.address
        lat = c.point.lat
        lon = c.point.lon
    }

    /// Plain words for where a case stands.
    static func notes(_ state: CaseState, lang: Open311Language, department: String?) -> String {
        let zh = lang == .zh
        switch state {
        case .pendingVerification: return zh ? "已受理，等待监督员现场核实" : "Received; an inspector will check it on site"
        case .pendingFiling, .selfHandled: return zh ? "已受理，等待立案" : "Received; waiting to be accepted as a case"
        case .pendingDispatch: return zh ? "已立案，等待派遣" : "Accepted; waiting to be sent to a department"
        case .dispatched, .returnRequested:
            return zh ? "已派遣至\(department ?? "责任部门")" : "Sent to \(department ?? "the responsible department")"
        case .inProgress: return zh ? "\(department ?? "责任部门")正在处置" : "\(department ?? "The responsible department") is working on it"
        case .handled, .pendingCheck: return zh ? "处置完毕，等待现场核查" : "Handled; waiting for the on-site check"
        case .pendingClose: return zh ? "现场核查通过，等待结案" : "Checked on site; about to be closed"
        case .suspended: return zh ? "暂缓处置" : "On hold"
        case .closed: return zh ? "已处置完毕并结案" : "Dealt with and closed"
        case .rejected: return zh ? "未予立案" : "Not taken up"
        case .voided: return zh ? "已作废" : "Voided"
        case .merged: return zh ? "与同一问题的其他反映合并办理" : "Merged with another report of the same problem"
        }
    }

    /// The case states an Open311 `status` filter stands for.
    public static func states(forStatus status: String) -> [CaseState]? {
        switch status {
        case "open": CaseState.allCases.filter(\.isOpen)
        case "closed": CaseState.allCases.filter { !$0.isOpen }
        default: nil
        }
    }
}
