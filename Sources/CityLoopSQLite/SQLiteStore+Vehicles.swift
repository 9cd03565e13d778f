import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Registers or replaces vehicles; a terminal phone belongs to one vehicle.
    public func saveVehicles(_ vehicles: [Vehicle]) async throws {
        let rows = try vehicles.map { ($0, try json($0)) }
        do {
            try await pool.write { db in
                let statement = try db.cachedStatement(
                    sql: "INSERT INTO vehicles (id, terminal_phone, data) VALUES (?, ?, ?) "
                        + "ON CONFLICT(id) DO UPDATE SET terminal_phone = excluded.terminal_phone, data = excluded.data")
                for (v, text) in rows { try statement.execute(arguments: [v.id.rawValue, v.terminalPhone, text]) }
            }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            throw DomainError.terminalTaken
        }
    }

    /// The vehicle with this ID.
    public func vehicle(id: VehicleID) async throws -> Vehicle? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM vehicles WHERE id = ?", arguments: [id.rawValue]) }
            .map { try decode(Vehicle.self, $0) }
    }

    /// The vehicle with this terminal phone number.
    public func vehicle(terminalPhone: String) async throws -> Vehicle? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM vehicles WHERE terminal_phone = ?", arguments: [terminalPhone]) }
            .map { try decode(Vehicle.self, $0) }
    }

    /// Vehicles in ID order.
    public func vehicles(after: VehicleID?, limit: Int) async throws -> [Vehicle] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT data FROM vehicles WHERE id > ? ORDER BY id LIMIT ?", arguments: [after?.rawValue ?? "", max(0, limit)])
        }.map { try decode(Vehicle.self, $0) }
    }

    /// Sets the hash of a terminal's authentication code.
    public func setTerminalAuthCode(vehicleID: VehicleID, hash: String) async throws {
        let changed = try await pool.write { db in
            try db.execute(sql: "UPDATE vehicles SET auth_hash = ? WHERE id = ?", arguments: [hash, vehicleID.rawValue])
            return db.changesCount
        }
        if changed == 0 { throw DomainError.notFound("vehicle", vehicleID.rawValue) }
    }

    /// The hash of a terminal's authentication code.
    public func terminalAuthCode(vehicleID: VehicleID) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT auth_hash FROM vehicles WHERE id = ?", arguments: [vehicleID.rawValue]) }
    }

    /// Saves sites.
    public func saveSites(_ sites: [Site]) async throws {
        let rows = try sites.map { ($0.id.rawValue, try json($0)) }
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO vehicle_sites (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data")
            for (id, text) in rows { try statement.execute(arguments: [id, text]) }
        }
    }

    /// Removes a site.
    public func deleteSite(id: SiteID) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM vehicle_sites WHERE id = ?", arguments: [id.rawValue])
            return db.changesCount > 0
        }
    }

    /// Every site in ID order.
    public func sites() async throws -> [Site] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT data FROM vehicle_sites ORDER BY id") }.map { try decode(Site.self, $0) }
    }

    /// Saves permits.
    public func savePermits(_ permits: [TransportPermit]) async throws {
        let rows = try permits.map { ($0, try json($0)) }
        try await pool.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO transport_permits (id, vehicle_id, data) VALUES (?, ?, ?) "
                    + "ON CONFLICT(id) DO UPDATE SET vehicle_id = excluded.vehicle_id, data = excluded.data")
            for (p, text) in rows { try statement.execute(arguments: [p.id.rawValue, p.vehicleID.rawValue, text]) }
        }
    }

    /// Permits in ID order.
    public func permits(vehicleID: VehicleID?) async throws -> [TransportPermit] {
        try await pool.read { db in
            if let vehicleID {
                return try String.fetchAll(db, sql: "SELECT data FROM transport_permits WHERE vehicle_id = ? ORDER BY id", arguments: [vehicleID.rawValue])
            }
            return try String.fetchAll(db, sql: "SELECT data FROM transport_permits ORDER BY id")
        }.map { try decode(TransportPermit.self, $0) }
    }

    /// Removes a permit.
    public func deletePermit(id: PermitID) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM transport_permits WHERE id = ?", arguments: [id.rawValue])
            return db.changesCount > 0
        }
    }

    /// Stored trackers.
    public func trackers(vehicleIDs: [VehicleID]) async throws -> [VehicleID: VehicleTracker] {
        let ids = Array(Set(vehicleIDs.map(\.rawValue)))
        guard !ids.isEmpty else { return [:] }
        let list = try Self.jsonList(ids)
        let rows = try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT vehicle_id, data FROM vehicle_trackers WHERE vehicle_id IN (SELECT value FROM json_each(?))", arguments: [list]
            ).map { ($0[0] as String, $0[1] as String) }
        }
        var out: [VehicleID: VehicleTracker] = [:]
        for (id, text) in rows { out[VehicleID(id)] = try decode(VehicleTracker.self, text) }
        return out
    }

    /// The tokens of stored trackers.
    public func trackerTokens(vehicleIDs: [VehicleID]) async throws -> [VehicleID: Int64] {
        let ids = Array(Set(vehicleIDs.map(\.rawValue)))
        guard !ids.isEmpty else { return [:] }
        let list = try Self.jsonList(ids)
        let rows = try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT vehicle_id, token FROM vehicle_trackers WHERE vehicle_id IN (SELECT value FROM json_each(?))", arguments: [list]
            ).map { ($0[0] as String, $0[1] as Int64) }
        }
        return Dictionary(uniqueKeysWithValues: rows.map { (VehicleID($0.0), $0.1) })
    }

    /// Writes a batch in one transaction.
    public func writeVehicleIngest(_ batch: VehicleIngestBatch) async throws -> Int {
        let trackers = try batch.trackers.map { ($0.key.rawValue, try json($0.value)) }
        let events = try batch.events.map { ($0, try json($0)) }
        let trips = try batch.trips.map { ($0, try json($0.trip)) }
        return try await pool.write { db in
            let position = try db.cachedStatement(
                sql: "INSERT INTO vehicle_positions (vehicle_id, at, lat, lon, speed, direction, load, acc, alarm, positioned) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
            var new = 0
            for p in batch.positions {
                try position.execute(arguments: [
                    p.vehicleID.rawValue, Self.deviceMillis(p.time), p.point.lat, p.point.lon, p.speedKmh, p.directionDegrees, p.load.rawValue,
                    p.accOn, Int64(p.alarmBits), p.positioned,
                ])
                new += db.changesCount
            }
            let tracker = try db.cachedStatement(
                sql: "INSERT INTO vehicle_trackers (vehicle_id, data, token) VALUES (?, ?, ?) "
                    + "ON CONFLICT(vehicle_id) DO UPDATE SET data = excluded.data, token = excluded.token")
            for (id, text) in trackers { try tracker.execute(arguments: [id, text, batch.trackerToken]) }
            for (e, text) in events { try Self.insertVehicleEvent(e, text: text, in: db) }
            let trip = try db.cachedStatement(
                sql: "INSERT INTO vehicle_trips (vehicle_id, started_at, ended_at, data) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT(vehicle_id, started_at) DO UPDATE SET ended_at = excluded.ended_at, data = excluded.data")
            for (t, text) in trips {
                try trip.execute(arguments: [
                    t.vehicleID.rawValue, Self.deviceMillis(t.trip.startedAt), Self.deviceMillis(t.trip.endedAt ?? t.trip.lastLoadedAt), text,
                ])
            }
            return new
        }
    }

    /// Positions by time.
    public func positions(vehicleID: VehicleID, from: Date, to: Date, limit: Int) async throws -> [VehiclePosition] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(VehicleRows.positionColumns) FROM vehicle_positions WHERE vehicle_id = ? AND at >= ? AND at < ? ORDER BY at LIMIT ?",
                arguments: [vehicleID.rawValue, Self.deviceMillis(from), Self.deviceMillis(to), max(0, limit)]
            ).map(Self.position)
        }
    }

    /// The latest position of each vehicle.
    public func latestPositions() async throws -> [VehiclePosition] {
        try await pool.read { db in
            // One seek per vehicle into the (vehicle_id, at) key, not a scan of every position.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(VehicleRows.positionColumns) FROM vehicles v
                    JOIN vehicle_positions p ON p.vehicle_id = v.id AND p.at = (SELECT max(at) FROM vehicle_positions WHERE vehicle_id = v.id)
                    ORDER BY v.id
                    """
            ).map(Self.position)
        }
    }

    /// Events newest first.
    public func vehicleEvents(vehicleID: VehicleID?, before: Int64?, limit: Int) async throws -> [StoredVehicleEvent] {
        let rows = try await pool.read { db in
            var sql = "SELECT seq, company_id, data FROM vehicle_events WHERE seq < ?"
            var args: [any DatabaseValueConvertible] = [before ?? Int64.max]
            if let vehicleID {
                sql += " AND vehicle_id = ?"
                args.append(vehicleID.rawValue)
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY seq DESC LIMIT ?", arguments: StatementArguments(args + [max(0, limit)]))
                .map { ($0[0] as Int64, $0[1] as String?, $0[2] as String) }
        }
        return try rows.map { StoredVehicleEvent(seq: $0.0, event: try vehicleEvent($0.2, company: $0.1)) }
    }

    /// Events by company and kind in [from, to).
    public func vehicleEventCounts(from: Date, to: Date) async throws -> [VehicleEventCount] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT company_id, code, count(*) FROM vehicle_events WHERE at >= ? AND at < ? AND company_id IS NOT NULL
                    GROUP BY company_id, code ORDER BY company_id, code
                    """,
                arguments: [Self.deviceMillis(from), Self.deviceMillis(to)]
            ).map { ($0[0] as String, $0[1] as String, $0[2] as Int) }
        }.compactMap { row in VehicleEventCount.kind(code: row.1).map { VehicleEventCount(companyID: DepartmentID(row.0), kind: $0, count: row.2) } }
            .sorted { ($0.companyID.rawValue, $0.kind.rawValue) < ($1.companyID.rawValue, $1.kind.rawValue) }
    }

    /// Events by time (of a company), oldest first.
    public func vehicleEvents(companyID: DepartmentID?, from: Date, to: Date, after: StoredVehicleEvent?, limit: Int) async throws -> [StoredVehicleEvent] {
        let rows = try await pool.read { db in
            var sql = "SELECT seq, company_id, data FROM vehicle_events WHERE at >= ? AND at < ?"
            var args: [any DatabaseValueConvertible] = [Self.deviceMillis(from), Self.deviceMillis(to)]
            if let companyID {
                sql += " AND company_id = ?"
                args.append(companyID.rawValue)
            }
            if let after {
                sql += " AND (at, seq) > (?, ?)"
                args += [Self.deviceMillis(after.event.time), after.seq]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY at, seq LIMIT ?", arguments: StatementArguments(args + [max(0, limit)]))
                .map { ($0[0] as Int64, $0[1] as String?, $0[2] as String) }
        }
        return try rows.map { StoredVehicleEvent(seq: $0.0, event: try vehicleEvent($0.2, company: $0.1)) }
    }

    /// An event from its JSON, charged to the company in its row (events stored before companies were kept in the
    /// JSON have theirs only there).
    func vehicleEvent(_ text: String, company: String?) throws -> VehicleEvent {
        var e = try decode(VehicleEvent.self, text)
        e.companyID = company.map { DepartmentID($0) }
        return e
    }

    /// IDs as one JSON array, for `IN (SELECT value FROM json_each(?))`: one parameter however many vehicles a batch
    /// moves (SQLite takes at most 32,766 parameters a statement, and a batch may hold 20,000 vehicles).
    static func jsonList(_ ids: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
    }

    /// Downsamples a vehicle's positions in the period to the first of each bucket.
    public func downsamplePositions(vehicleID: VehicleID, from: Date, before: Date, bucketSeconds: Int) async throws -> Int {
        let bucket = Int64(max(1, bucketSeconds)) * 1000
        return try await pool.write { db in
            // A position goes when an earlier one of the same vehicle lies in its bucket (the (vehicle_id, at) key answers).
            try db.execute(
                sql: """
                    DELETE FROM vehicle_positions WHERE vehicle_id = ?1 AND at >= ?2 AND at < ?3 AND EXISTS (
                        SELECT 1 FROM vehicle_positions q WHERE q.vehicle_id = ?1 AND q.at < vehicle_positions.at
                            AND q.at >= vehicle_positions.at - (vehicle_positions.at % ?4))
                    """,
                arguments: [vehicleID.rawValue, Self.deviceMillis(from), Self.deviceMillis(before), bucket])
            return db.changesCount
        }
    }

    /// Appends an event (its JSON `text`) to the vehicle event log, in the caller's transaction.
    static func insertVehicleEvent(_ e: VehicleEvent, text: String, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO vehicle_events (vehicle_id, at, code, company_id, data) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [e.vehicleID.rawValue, Self.deviceMillis(e.time), e.code, e.companyID?.rawValue, text])
    }

    private static func position(_ row: Row) -> VehiclePosition {
        VehiclePosition(
            vehicleID: VehicleID(row[0] as String), time: Date(timeIntervalSince1970: Double(row[1] as Int64) / 1000),
            point: GeoPoint(lat: row[2], lon: row[3]), speedKmh: row[4], directionDegrees: row[5],
            load: VehicleLoad(rawValue: row[6] as String) ?? .unknown, accOn: row[7], alarmBits: UInt32(truncatingIfNeeded: row[8] as Int64),
            positioned: row[9])
    }
}

/// What the SQL stores share about vehicle rows.
enum VehicleRows {
    static let positionColumns = "vehicle_id, at, lat, lon, speed, direction, load, acc, alarm, positioned"
}
