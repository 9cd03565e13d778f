import CityLoopDomain
import Foundation

/// A work order pushed by the 12345 hotline platform or another bureau (热线转办工单), in the sender's terms.
public struct HotlineOrder: Codable, Sendable {
    /// The sender's ticket number (工单号): the same ticket sent again is the same case.
    public var ticketNumber: String
    /// The sender's category text (诉求分类), e.g. `市容环境/暴露垃圾`; matched to a matter class by name.
    public var category: String?
    /// The matter class code, when the sender already knows it; wins over `category`.
    public var matterCode: String?
    /// What the caller reported (诉求内容).
    public var description: String
    /// The address the caller gave.
    public var address: String?
    /// Latitude (WGS84), when the sender located the problem.
    public var lat: Double?
    /// Longitude (WGS84).
    public var lon: Double?
    /// The coordinate system of `lat`/`lon` (`wgs84` when absent, `cgcs2000`, `gcj02`, `bd09`); converted at the edge.
    public var crs: String?
    /// The caller's name (来电人).
    public var callerName: String?
    /// The caller's phone (来电号码).
    public var callerPhone: String?
    /// The sender's deadline for the ticket (办结时限).
    public var deadline: Date?
    /// Urgency; normal when absent.
    public var urgency: Urgency?
    /// Where every status change of the case is posted back (回传地址).
    public var callbackURL: String?

    /// Creates an order.
    public init(
        ticketNumber: String, category: String? = nil, matterCode: String? = nil, description: String, address: String? = nil,
        lat: Double? = nil, lon: Double? = nil, callerName: String? = nil, callerPhone: String? = nil, deadline: Date? = nil,
        urgency: Urgency? = nil, callbackURL: String? = nil
    ) {
        self.ticketNumber = ticketNumber
        self.category = category
        self.matterCode = matterCode
        self.description = description
        self.address = address
        self.lat = lat
        self.lon = lon
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.deadline = deadline
        self.urgency = urgency
        self.callbackURL = callbackURL
    }
}
