import CityLoopDomain
import Foundation

/// Where a report went: filed as a case, or queued for an operator to place by hand.
public enum IntakeOutcome: Sendable {
    /// Filed as a case (its point given, or its address resolved).
    case filed(ReportResult)
    /// Its address could not be resolved: queued (or, sent again, the entry it was queued as).
    case queued(UnplacedReport)
}

/// Reports located by address: geocoded against the city's place table (fuzzy Chinese matching), and when that
/// is not confident, queued for an operator who places them on the map by hand — never dropped.
public struct PlacementService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// Files a report at its point, or at its address's place, or queues it. `input.lat`/`lon` are used only when
    /// `hasPoint` is true.
    public func report(_ input: ReportInput, hasPoint: Bool, actor: Actor) async throws -> IntakeOutcome {
        let cases = CaseService(platform: platform)
        if hasPoint { return .filed(try await cases.report(input, actor: actor)) }
        guard let address = input.address?.trimmingCharacters(in: .whitespacesAndNewlines), !address.isEmpty else {
            throw DomainError.invalid("lat", "a location is required: lat and lon, or an address", code: "location.missing")
        }
        guard address.count <= 300 else { throw DomainError.invalid("address", "address is longer than 300 characters") }
        let ctx = platform.context
        if let match = ctx.places.resolve(address) {
            var located = input
            located.lat = match.place.point.lat
            located.lon = match.place.point.lon
            return .filed(try await cases.report(located, actor: actor))
        }
        // Check now what would fail later anyway, so a queued report is one an operator can file.
        guard ctx.catalog.matter(input.matterCode) != nil else {
            throw DomainError.invalid("matterCode", "matter class '\(input.matterCode)' is not in the catalog", code: "matter.unknown")
        }
        guard !input.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.invalid("description", "description must not be empty")
        }
        let entry = UnplacedReport(
            id: "U" + platform.ids.next().replacingOccurrences(of: "-", with: "").lowercased(),
            key: input.clientRequestID.map { "\(actor.userID.rawValue)/\($0)" }, receivedAt: platform.clock.now(), actor: actor,
            address: address, input: String(decoding: try ISOJSON.encoder.encode(input), as: UTF8.self),
            candidates: ctx.places.match(address, limit: 5).map(\.place))
        let queued = try await platform.store.enqueueUnplaced(entry)
        if queued.id != entry.id, let earlier = try? ISOJSON.decoder.decode(ReportInput.self, from: Data(queued.input.utf8)),
            earlier.description.trimmingCharacters(in: .whitespacesAndNewlines) != input.description.trimmingCharacters(in: .whitespacesAndNewlines)
                || (earlier.address ?? "") != (input.address ?? "") || earlier.matterCode != input.matterCode
        {
            throw DomainError(
                .conflict, code: "idempotency.mismatch",
                "clientRequestID '\(input.clientRequestID ?? "")' was already used for queued report \(queued.id) with a different body",
                field: "clientRequestID")
        }
        // Sent again after an operator placed it: the case it became.
        if let number = queued.caseNumber, let c = try await platform.store.caseRecord(number: number) {
            return .filed(
                ReportResult(
                    case: c.visible(to: actor.role, userID: actor.userID), created: false, duplicates: [],
                    trackingCode: platform.tracking.code(for: number)))
        }
        if queued.id == entry.id { platform.live.publish(LiveItem(event: LiveEvent(unplaced: queued.id, at: queued.receivedAt), record: nil)) }
        return .queued(queued)
    }

    /// The reports waiting to be placed, oldest first (operators, shift leads, admins).
    public func pending(limit: Int, actor: Actor) async throws -> [UnplacedReport] {
        try Self.requireStaff(actor)
        return try await platform.store.pendingUnplaced(limit: limit)
    }

    /// Places a queued report at a point chosen on the map and files it as the sender's case. Placing it again
    /// returns the same case.
    public func place(_ id: String, at point: GeoPoint, actor: Actor) async throws -> ReportResult {
        try Self.requireStaff(actor)
        guard let entry = try await platform.store.unplacedReport(id: id) else { throw UnplacedReport.notFound(id) }
        var input = try ISOJSON.decoder.decode(ReportInput.self, from: Data(entry.input.utf8))
        input.lat = point.lat
        input.lon = point.lon
        // The entry's ID makes the filing idempotent when the sender gave no request ID of its own.
        input.clientRequestID = input.clientRequestID ?? "unplaced:\(id)"
        let result = try await CaseService(platform: platform).report(input, actor: entry.actor)
        if entry.caseNumber == nil {
            let now = platform.clock.now()
            try await platform.store.markPlaced(id: id, caseNumber: result.case.number, by: actor.userID, at: now)
            platform.live.publish(LiveItem(event: LiveEvent(unplaced: id, placed: true, caseNumber: result.case.number, at: now), record: nil))
        }
        return result
    }

    /// The places an address may be, best first (for operators placing a report, or a client's address search).
    public func search(_ address: String, limit: Int) -> [PlaceMatch] { platform.context.places.match(address, limit: limit) }

    /// Replaces the place table from CSV (`name,address,lat,lon`); returns how many were imported and the rejected
    /// lines. Places outside the city's grids are rejected too.
    public func importPlaces(
        csv: String, crs: CoordinateSystem = .wgs84, actor: Actor
    ) async throws -> (imported: Int, rejected: [(line: Int, reason: String)]) {
        guard actor.role == .admin else { throw DomainError.forbidden("only admins import the place table") }
        var (parsed, rejectedRows) = try Place.parseCSV(csv)
        // Converted once here: the place table holds WGS84 like everything else.
        for i in parsed.indices { parsed[i].point = crs.toWGS84(parsed[i].point) }
        let map = platform.context.map
        var places: [Place] = []
        var rejected = rejectedRows
        for (i, p) in parsed.enumerated() {
            if map.place(p.point) == nil {
                rejected.append((line: 0, reason: "'\(p.name)' (\(p.point.lat), \(p.point.lon)) is outside the city's grids (place \(i + 1))"))
            } else {
                places.append(p)
            }
        }
        try await platform.store.replacePlaces(places)
        try await platform.reloadContext()
        return (places.count, rejected)
    }

    static func requireStaff(_ actor: Actor) throws {
        guard [.operator, .shiftLead, .admin].contains(actor.role) else {
            throw DomainError.forbidden("only operators, shift leads and admins handle the placement queue")
        }
    }
}
