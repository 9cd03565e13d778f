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
        let words = c.state.plainStatus(department: dept)
        statusNotes = lang == .zh ? words.zh : words.en
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

    /// The case states an Open311 `status` filter stands for.
    public static func states(forStatus status: String) -> [CaseState]? {
        switch status {
        case "open": CaseState.allCases.filter(\.isOpen)
        case "closed": CaseState.allCases.filter { !$0.isOpen }
        default: nil
        }
    }
}
