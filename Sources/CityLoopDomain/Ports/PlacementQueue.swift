import Foundation

/// A report that arrived with an address but no point, and whose address the city's place table could not
/// resolve: kept until an operator places it on the map by hand (人工定位), then filed as an ordinary case.
public struct UnplacedReport: Hashable, Codable, Sendable {
    /// The queue entry's ID; also the Open311 `token` of the request until it is placed.
    public var id: String
    /// The idempotency key (`account/client request ID`): the same report sent again finds this entry.
    public var key: String?
    /// When it arrived.
    public var receivedAt: Date
    /// Who sent it; the case is filed as theirs.
    public var actor: Actor
    /// The address as given.
    public var address: String
    /// The report as received (the service's input, JSON).
    public var input: String
    /// The places that came closest, for the operator to choose from.
    public var candidates: [Place]
    /// The case it became, once placed.
    public var caseNumber: String?
    /// Who placed it and when.
    public var placedBy: UserID?
    /// When it was placed.
    public var placedAt: Date?

    /// Creates an entry.
    public init(
        id: String, key: String?, receivedAt: Date, actor: Actor, address: String, input: String, candidates: [Place],
        caseNumber: String? = nil, placedBy: UserID? = nil, placedAt: Date? = nil
    ) {
        self.id = id
        self.key = key
        self.receivedAt = receivedAt
        self.actor = actor
        self.address = address
        self.input = input
        self.candidates = candidates
        self.caseNumber = caseNumber
        self.placedBy = placedBy
        self.placedAt = placedAt
    }
}

extension UnplacedReport {
    /// The error for an unknown queue entry.
    public static func notFound(_ id: String) -> DomainError {
        DomainError(.notFound, code: "unplaced.not_found", "no report waiting to be placed has the ID '\(id)'", field: "id")
    }
}

/// Storage of the city's place table (地名地址库) and of the reports waiting to be placed by hand.
public protocol PlacementStore: Sendable {
    /// Replaces the place table.
    func replacePlaces(_ places: [Place]) async throws
    /// The place table.
    func places() async throws -> [Place]
    /// Queues a report; when one with the same key is queued already, returns that one instead.
    func enqueueUnplaced(_ report: UnplacedReport) async throws -> UnplacedReport
    /// The entry with this ID.
    func unplacedReport(id: String) async throws -> UnplacedReport?
    /// Entries not yet placed, oldest first.
    func pendingUnplaced(limit: Int) async throws -> [UnplacedReport]
    /// Records that an entry became a case; throws `conflict` when it was placed already.
    func markPlaced(id: String, caseNumber: String, by: UserID, at: Date) async throws
}
