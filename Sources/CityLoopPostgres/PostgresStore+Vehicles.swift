import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Registers or replaces vehicles; a terminal phone belongs to one vehicle.
    public func saveVehicles(_ vehicles: [Vehicle]) async throws {
        guard !vehicles.isEmpty else { return }
        let texts = try vehicles.map { try json($0) }
        do {
            _ = try await rows(
                """
                INSERT INTO vehicles (id, terminal_phone, data)
                SELECT * FROM unnest(\(vehicles.map(\.id.rawValue))::text[], \(NullableArray(vehicles.map(\.terminalPhone)))::text[], \(texts)::text[])
                ON CONFLICT (id) DO UPDATE SET terminal_phone = excluded.terminal_phone, data = excluded.data
                """)
        } catch where Self.isUniqueViolation(error) {
            throw DomainError.terminalTaken
        }
    }

    /// The vehicle with this ID.
    public func vehicle(id: VehicleID) async throws -> Vehicle? {
        try await rows("SELECT data FROM vehicles WHERE id = \(id.rawValue)").first.map { try decode(Vehicle.self, try $0.decode(String.self)) }
    }

    /// The vehicle with this terminal phone number.
    public func vehicle(terminalPhone: String) async throws -> Vehicle? {
        try await rows("SELECT data FROM vehicles WHERE terminal_phone = \(terminalPhone)").first.map { try decode(Vehicle.self, try $0.decode(String.self)) }
    }

    /// Vehicles in ID order.
    public func vehicles(after: VehicleID?, limit: Int) async throws -> [Vehicle] {
        try decodeAll(Vehicle.self, try await rows("SELECT data FROM vehicles WHERE id > \(after?.rawValue ?? "") ORDER BY id LIMIT \(Int64(max(0, limit)))"))
    }

    /// Sets the hash of a terminal's authentication code.
    public func setTerminalAuthCode(vehicleID: VehicleID, hash: String) async throws {
        let found = try await rows("UPDATE vehicles SET auth_hash = \(hash) WHERE id = \(vehicleID.rawValue) RETURNING 1")
        if found.isEmpty { throw DomainError.notFound("vehicle", vehicleID.rawValue) }
    }

    /// The hash of a terminal's authentication code.
    public func terminalAuthCode(vehicleID: VehicleID) async throws -> String? {
        try await rows("SELECT auth_hash FROM vehicles WHERE id = \(vehicleID.rawValue)").first?.decode(String?.self)
    }

    /// Saves sites.
    public func saveSites(_ sites: [Site]) async throws {
        guard !sites.isEmpty else { return }
        let texts = try sites.map { try json($0) }
        _ = try await rows(
            """
            INSERT INTO vehicle_sites (id, data) SELECT * FROM unnest(\(sites.map(\.id.rawValue))::text[], \(texts)::text[])
            ON CONFLICT (id) DO UPDATE SET data = excluded.data
            """)
    }

    /// Removes a site.
    public func deleteSite(id: SiteID) async throws -> Bool {
        !(try await rows("DELETE FROM vehicle_sites WHERE id = \(id.rawValue) RETURNING 1")).isEmpty
    }

    /// Every site in ID order.
    public func sites() async throws -> [Site] {
        try decodeAll(Site.self, try await rows("SELECT data FROM vehicle_sites ORDER BY id"))
    }

    /// Saves permits.
    public func savePermits(_ permits: [TransportPermit]) async throws {
        guard !permits.isEmpty else { return }
        let texts = try permits.map { try json($0) }
        _ = try await rows(
            """
            INSERT INTO transport_permits (id, vehicle_id, data)
            SELECT * FROM unnest(\(permits.map(\.id.rawValue))::text[], \(permits.map(\.vehicleID.rawValue))::text[], \(texts)::text[])
            ON CONFLICT (id) DO UPDATE SET vehicle_id = excluded.vehicle_id, data = excluded.data
            """)
    }

    /// Permits in ID order.
    public func permits(vehicleID: VehicleID?) async throws -> [TransportPermit] {
        if let vehicleID {
            return try decodeAll(TransportPermit.self, try await rows("SELECT data FROM transport_permits WHERE vehicle_id = \(vehicleID.rawValue) ORDER BY id"))
        }
        return try decodeAll(TransportPermit.self, try await rows("SELECT data FROM transport_permits ORDER BY id"))
    }

    /// Removes a permit.
    public func deletePermit(id: PermitID) async throws -> Bool {
        !(try await rows("DELETE FROM transport_permits WHERE id = \(id.rawValue) RETURNING 1")).isEmpty
    }

    /// Stored trackers.
    public func trackers(vehicleIDs: [VehicleID]) async throws -> [VehicleID: VehicleTracker] {
        let ids = Array(Set(vehicleIDs.map(\.rawValue)))
        guard !ids.isEmpty else { return [:] }
        var out: [VehicleID: VehicleTracker] = [:]
        for row in try await rows("SELECT vehicle_id, data FROM vehicle_trackers WHERE vehicle_id = ANY(\(ids)::text[])") {
            let (id, text) = try row.decode((String, String).self)
            out[VehicleID(id)] = try decode(VehicleTracker.self, text)
        }
        return out
    }

    /// The tokens of stored trackers.
    public func trackerTokens(vehicleIDs: [VehicleID]) async throws -> [VehicleID: Int64] {
        let ids = Array(Set(vehicleIDs.map(\.rawValue)))
        guard !ids.isEmpty else { return [:] }
        var out: [VehicleID: Int64] = [:]
        for row in try await rows("SELECT vehicle_id, token FROM vehicle_trackers WHERE vehicle_id = ANY(\(ids)::text[])") {
            let (id, token) = try row.decode((String, Int64).self)
            out[VehicleID(id)] = token
        }
        return out
    }

    /// Writes a batch in one statement (one transaction).
    public func writeVehicleIngest(_ batch: VehicleIngestBatch) async throws -> Int {
        var sql = SQLBuilder()
        let p = batch.positions
        var parts = [
            """
            INSERT INTO vehicle_positions (vehicle_id, at, lat, lon, speed, direction, load, acc, alarm, positioned)
            SELECT * FROM unnest(\(sql.bind(p.map(\.vehicleID.rawValue)))::text[], \(sql.bind(p.map { Self.ms($0.time) }))::int8[],
                \(sql.bind(p.map(\.point.lat)))::float8[], \(sql.bind(p.map(\.point.lon)))::float8[], \(sql.bind(p.map(\.speedKmh)))::float8[],
                \(sql.bind(p.map(\.directionDegrees)))::float8[], \(sql.bind(p.map(\.load.rawValue)))::text[], \(sql.bind(p.map(\.accOn)))::bool[],
                \(sql.bind(p.map { Int64($0.alarmBits) }))::int8[], \(sql.bind(p.map(\.positioned)))::bool[])
            ON CONFLICT DO NOTHING RETURNING 1
            """
        ]
        let trackers = try batch.trackers.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, try json($0.value)) }
        if !trackers.isEmpty {
            parts.append(
                """
                INSERT INTO vehicle_trackers (vehicle_id, data, token)
                SELECT v, d, \(sql.bind(batch.trackerToken))::int8 FROM unnest(\(sql.bind(trackers.map(\.0)))::text[], \(sql.bind(trackers.map(\.1)))::text[]) AS t(v, d)
                ON CONFLICT (vehicle_id) DO UPDATE SET data = excluded.data, token = excluded.token
                """)
        }
        let events = batch.events
        if !events.isEmpty {
            let texts = try events.map { try json($0) }
            // WITH ORDINALITY keeps the batch's order in the log.
            parts.append(
                """
                INSERT INTO vehicle_events (vehicle_id, at, code, data, company_id)
                SELECT v, a, c, d, o FROM unnest(\(sql.bind(events.map(\.vehicleID.rawValue)))::text[], \(sql.bind(events.map { Self.ms($0.time) }))::int8[],
                    \(sql.bind(events.map(\.code)))::text[], \(sql.bind(texts))::text[], \(sql.bind(NullableArray(events.map { $0.companyID?.rawValue })))::text[])
                    WITH ORDINALITY AS e(v, a, c, d, o, n) ORDER BY n
                """)
        }
        let trips = batch.trips
        if !trips.isEmpty {
            let texts = try trips.map { try json($0.trip) }
            parts.append(
                """
                INSERT INTO vehicle_trips (vehicle_id, started_at, ended_at, data)
                SELECT * FROM unnest(\(sql.bind(trips.map(\.vehicleID.rawValue)))::text[], \(sql.bind(trips.map { Self.ms($0.trip.startedAt) }))::int8[],
                    \(sql.bind(trips.map { Self.ms($0.trip.endedAt ?? $0.trip.lastLoadedAt) }))::int8[], \(sql.bind(texts))::text[])
                ON CONFLICT (vehicle_id, started_at) DO UPDATE SET ended_at = excluded.ended_at, data = excluded.data
                """)
        }
        let with = parts.enumerated().map { "w\($0.offset) AS (\($0.element))" }
        let statement = sql.query("WITH " + with.joined(separator: ",\n") + "\nSELECT count(*)::int8 FROM w0")
        return try await rows(statement).first?.decode(Int.self) ?? 0
    }

    /// Positions by time.
    public func positions(vehicleID: VehicleID, from: Date, to: Date, limit: Int) async throws -> [VehiclePosition] {
        try await rows(
            """
            SELECT vehicle_id, at, lat, lon, speed, direction, load, acc, alarm, positioned FROM vehicle_positions
            WHERE vehicle_id = \(vehicleID.rawValue) AND at >= \(Self.ms(from)) AND at < \(Self.ms(to)) ORDER BY at LIMIT \(Int64(max(0, limit)))
            """
        ).map(Self.position)
    }

    /// The latest position of each vehicle.
    public func latestPositions() async throws -> [VehiclePosition] {
        try await rows(
            """
            SELECT p.vehicle_id, p.at, p.lat, p.lon, p.speed, p.direction, p.load, p.acc, p.alarm, p.positioned FROM vehicles v
            CROSS JOIN LATERAL (SELECT * FROM vehicle_positions WHERE vehicle_id = v.id ORDER BY at DESC LIMIT 1) p
            ORDER BY v.id
            """
        ).map(Self.position)
    }

    /// Events newest first.
    public func vehicleEvents(vehicleID: VehicleID?, before: Int64?, limit: Int) async throws -> [StoredVehicleEvent] {
        let found =
            if let vehicleID {
                try await rows(
                    """
                    SELECT seq, company_id, data FROM vehicle_events WHERE vehicle_id = \(vehicleID.rawValue) AND seq < \(before ?? Int64.max)
                    ORDER BY seq DESC LIMIT \(Int64(max(0, limit)))
                    """)
            } else {
                try await rows(
                    "SELECT seq, company_id, data FROM vehicle_events WHERE seq < \(before ?? Int64.max) ORDER BY seq DESC LIMIT \(Int64(max(0, limit)))")
            }
        return try found.map(storedVehicleEvent)
    }

    /// Events by time (of a company), oldest first.
    public func vehicleEvents(companyID: DepartmentID?, from: Date, to: Date, after: StoredVehicleEvent?, limit: Int) async throws -> [StoredVehicleEvent] {
        var sql = SQLBuilder()
        sql.compare("at >=", Self.ms(from))
        sql.compare("at <", Self.ms(to))
        if let companyID { sql.condition("company_id = $", companyID.rawValue) }
        if let after { sql.raw("(at, seq) > (\(sql.bind(Self.ms(after.event.time))), \(sql.bind(after.seq)))") }
        let limit = sql.bind(Int64(max(0, limit)))
        return try await rows(sql.query("SELECT seq, company_id, data FROM vehicle_events \(sql.whereClause) ORDER BY at, seq LIMIT \(limit)"))
            .map(storedVehicleEvent)
    }

    /// An event row (seq, company_id, data), charged to the company in its row (events stored before companies were
    /// kept in the JSON have theirs only there).
    private func storedVehicleEvent(_ row: PostgresRow) throws -> StoredVehicleEvent {
        let (seq, company, text) = try row.decode((Int64, String?, String).self)
        var e = try decode(VehicleEvent.self, text)
        e.companyID = company.map { DepartmentID($0) }
        return StoredVehicleEvent(seq: seq, event: e)
    }

    /// Downsamples a vehicle's positions in the period to the first of each bucket.
    public func downsamplePositions(vehicleID: VehicleID, from: Date, before: Date, bucketSeconds: Int) async throws -> Int {
        let bucket = Int64(max(1, bucketSeconds)) * 1000
        // A position goes when an earlier one of the same vehicle lies in its bucket (the (vehicle_id, at) key answers).
        // Counted in the database: one row back, however many go.
        return try await rows(
            """
            WITH d AS (
                DELETE FROM vehicle_positions p WHERE p.vehicle_id = \(vehicleID.rawValue) AND p.at >= \(Self.ms(from)) AND p.at < \(Self.ms(before))
                    AND EXISTS (SELECT 1 FROM vehicle_positions q WHERE q.vehicle_id = p.vehicle_id AND q.at < p.at AND q.at >= p.at - (p.at % \(bucket)))
                RETURNING 1)
            SELECT count(*)::int8 FROM d
            """
        ).first?.decode(Int.self) ?? 0
    }

    /// Appends an event (its JSON `text`) to the vehicle event log, in the caller's transaction.
    func insertVehicleEvent(_ e: VehicleEvent, text: String, on c: PostgresConnection) async throws {
        try await run(
            """
            INSERT INTO vehicle_events (vehicle_id, at, code, data, company_id)
            VALUES (\(e.vehicleID.rawValue), \(Self.ms(e.time)), \(e.code), \(text), \(e.companyID?.rawValue))
            """, on: c)
    }

    private static func position(_ row: PostgresRow) throws -> VehiclePosition {
        let (id, at, lat, lon, speed, direction, load, acc, alarm, positioned) = try row.decode(
            (String, Int64, Double, Double, Double, Double, String, Bool, Int64, Bool).self)
        return VehiclePosition(
            vehicleID: VehicleID(id), time: date(at), point: GeoPoint(lat: lat, lon: lon), speedKmh: speed, directionDegrees: direction,
            load: VehicleLoad(rawValue: load) ?? .unknown, accOn: acc, alarmBits: UInt32(truncatingIfNeeded: alarm), positioned: positioned)
    }

    /// Events by company and kind in [from, to).
    public func vehicleEventCounts(from: Date, to: Date) async throws -> [VehicleEventCount] {
        try await rows(
            """
            SELECT company_id, code, count(*)::int8 FROM vehicle_events WHERE at >= \(Self.ms(from)) AND at < \(Self.ms(to)) AND company_id IS NOT NULL
            GROUP BY company_id, code
            """
        ).compactMap { row in
            let (id, code, n) = try row.decode((String, String, Int64).self)
            return VehicleEventCount.kind(code: code).map { VehicleEventCount(companyID: DepartmentID(id), kind: $0, count: Int(n)) }
        }
        .sorted { ($0.companyID.rawValue, $0.kind.rawValue) < ($1.companyID.rawValue, $1.kind.rawValue) }
    }
}
