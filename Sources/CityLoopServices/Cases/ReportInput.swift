import CityLoopDomain
import Foundation

/// A new report (上报) as received from any channel.
public struct ReportInput: Codable, Sendable {
    /// The client's own ID for this report; a repeat with the same ID from the same account is stored once.
    public var clientRequestID: String?
    /// The matter class code (5 digits, from the catalog).
    public var matterCode: String
    /// What was seen.
    public var description: String
    /// Latitude (WGS84).
    public var lat: Double
    /// Longitude (WGS84).
    public var lon: Double
    /// The coordinate system `lat`/`lon` are given in (`wgs84` when absent, `cgcs2000`, `gcj02`, `bd09`); the HTTP
    /// edge converts to WGS84 and clears it.
    public var crs: String?
    /// Street address, optional.
    public var address: String?
    /// Urgency; normal when absent.
    public var urgency: Urgency?
    /// The component concerned, optional (17-digit ID).
    public var componentID: String?
    /// Evidence media IDs from `POST /api/v1/media`.
    public var evidence: [String]?
    /// Reporter's name (hotline and partner reports).
    public var reporterName: String?
    /// Reporter's phone (hotline and partner reports).
    public var reporterPhone: String?
    /// Reporter's email (partner reports, e.g. Open311).
    public var reporterEmail: String?
    /// The sending system's own ticket number (工单号), for work orders from the hotline or another bureau.
    public var ticket: String?
    /// The sender's deadline for its ticket.
    public var ticketDueAt: Date?
    /// Where the sender wants every status change of the case posted (partners only).
    public var callbackURL: String?
    /// The channel, where the caller may choose (operators: operator or hotline; partners: partner, hotline,
    /// sensor, video). Others report as their role.
    public var source: CaseSource?
    /// An inspector fixed it on the spot (自处理).
    public var selfHandled: Bool?

    /// Creates an input.
    public init(
        clientRequestID: String? = nil, matterCode: String, description: String, lat: Double, lon: Double,
        address: String? = nil, urgency: Urgency? = nil, componentID: String? = nil, evidence: [String]? = nil,
        reporterName: String? = nil, reporterPhone: String? = nil, reporterEmail: String? = nil, source: CaseSource? = nil,
        selfHandled: Bool? = nil, ticket: String? = nil, ticketDueAt: Date? = nil, callbackURL: String? = nil
    ) {
        self.ticket = ticket
        self.ticketDueAt = ticketDueAt
        self.callbackURL = callbackURL
        self.reporterEmail = reporterEmail
        self.clientRequestID = clientRequestID
        self.matterCode = matterCode
        self.description = description
        self.lat = lat
        self.lon = lon
        self.address = address
        self.urgency = urgency
        self.componentID = componentID
        self.evidence = evidence
        self.reporterName = reporterName
        self.reporterPhone = reporterPhone
        self.source = source
        self.selfHandled = selfHandled
    }
}

extension ReportInput {
    /// Checks every text of the report against `TextRules`, naming the field (for channels other than JSON, whose
    /// raw text the HTTP edge checks before decoding).
    public func checkText() throws {
        try TextRules.check(clientRequestID, field: "clientRequestID")
        try TextRules.check(matterCode, field: "matterCode")
        try TextRules.check(description, field: "description")
        try TextRules.check(address, field: "address")
        try TextRules.check(componentID, field: "componentID")
        for (i, e) in (evidence ?? []).enumerated() { try TextRules.check(e, field: "evidence[\(i)]") }
        try TextRules.check(reporterName, field: "reporterName")
        try TextRules.check(reporterPhone, field: "reporterPhone")
        try TextRules.check(reporterEmail, field: "reporterEmail")
        try TextRules.check(ticket, field: "ticket")
        try TextRules.check(callbackURL, field: "callbackURL")
    }
}

/// The outcome of a report.
public struct ReportResult: Codable, Sendable {
    /// The case (as the reporter may see it).
    public var `case`: CaseRecord
    /// False when the client request ID had been seen and the earlier case is returned.
    public var created: Bool
    /// Open cases this report may duplicate (重复上报), nearest first.
    public var duplicates: [DuplicateCandidate]
    /// The code with which the reporter (signed in or not) follows the case at `GET /api/v1/track/{code}`.
    public var trackingCode: String
}

extension ReportResult: JSONTextWritable {
    /// Writes the result as `JSONEncoder` would with sorted keys.
    public func write(to json: inout JSONText) {
        json.object { j in
            j.field("case", self.case)
            j.field("created", created)
            j.field("duplicates", duplicates)
            j.field("trackingCode", trackingCode)
        }
    }
}

/// A case with its history, for display.
public struct CaseDetail: Codable, Sendable {
    /// The case.
    public var `case`: CaseRecord
    /// Its timeline, oldest first.
    public var timeline: [CaseEvent]
    /// What the viewer may do now.
    public var availableActions: [CaseAction]
    /// Whether its current step is overdue.
    public var overdue: Bool
    /// Names of its areas (district, street, community).
    public var areaNames: [String]
    /// The matter class's name.
    public var matterName: String?
}

/// What the chain verification found.
public struct VerificationReport: Codable, Sendable {
    /// Cases checked.
    public var cases: Int
    /// Events checked.
    public var events: Int
    /// Problems found; empty when all history is intact.
    public var problems: [String]
}
