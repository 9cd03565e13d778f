import CityLoopDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// Registers or replaces devices.
    public func saveDevices(_ devices: [Device]) async throws {
        let rows = try devices.map { ($0, try json($0)) }
        try await pool.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO devices (id, profile_id, grid_code, data) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT(id) DO UPDATE SET profile_id = excluded.profile_id, grid_code = excluded.grid_code, data = excluded.data")
            for (d, text) in rows { try statement.execute(arguments: [d.id, d.profileID, d.gridCode, text]) }
        }
    }

    /// The device with this ID.
    public func device(id: String) async throws -> Device? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT data FROM devices WHERE id = ?", arguments: [id]) }
            .map { try decode(Device.self, $0) }
    }

    /// Devices in ID order.
    public func devices(after: String?, limit: Int) async throws -> [Device] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT data FROM devices WHERE id > ? ORDER BY id LIMIT ?", arguments: [after ?? "", max(0, limit)])
        }.map { try decode(Device.self, $0) }
    }

    /// Rule states, alarms up and last reports of the devices.
    public func ingestState(deviceIDs: [String]) async throws -> DeviceIngestState {
        let ids = Array(Set(deviceIDs))
        let (states, alarms, seen) = try await pool.read { db in
            let list = "(" + ids.map { _ in "?" }.joined(separator: ",") + ")"
            let args = StatementArguments(ids)
            return (
                try Row.fetchAll(db, sql: "SELECT device_id, type, data FROM device_rule_states WHERE device_id IN \(list)", arguments: args)
                    .map { (DeviceRuleKey(deviceID: $0[0], type: $0[1]), $0[2] as String) },
                try Row.fetchAll(db, sql: "SELECT \(Self.alarmColumns) FROM device_alarms WHERE active AND device_id IN \(list)", arguments: args)
                    .map { try self.alarm($0) },
                try Row.fetchAll(db, sql: "SELECT device_id, at FROM device_seen WHERE device_id IN \(list)", arguments: args)
                    .map { ($0[0] as String, $0[1] as Int64) }
            )
        }
        var out = DeviceIngestState()
        for (key, text) in states { out.ruleStates[key] = try RuleState(storedText: text) }
        for a in alarms {
            out.activeAlarms[DeviceRuleKey(deviceID: a.deviceID, type: a.type)] = a
        }
        for (id, at) in seen { out.lastSeen[id] = Date(timeIntervalSince1970: Double(at) / 1000) }
        return out
    }

    /// Writes the batch in one transaction; a second alarm up for one device and type is refused (nothing written).
    public func writeIngest(_ batch: DeviceIngestBatch) async throws -> Int {
        let states = batch.ruleStates.map { ($0.key, $0.value.storedText) }
        let alarms = try batch.alarms.map { ($0, try json($0)) }
        do {
            let new = try await pool.write { db in
                let reading = try db.cachedStatement(
                    sql: "INSERT INTO device_readings (device_id, measurement, at, number, state) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                var new = 0
                for r in batch.readings {
                    var state: String?
                    if case .state(let s) = r.value { state = s }
                    try reading.execute(arguments: [r.deviceID, r.measurement, Self.deviceMillis(r.at), r.value.number, state])
                    new += db.changesCount
                }
                let state = try db.cachedStatement(
                    sql: "INSERT INTO device_rule_states (device_id, type, data) VALUES (?, ?, ?) ON CONFLICT(device_id, type) DO UPDATE SET data = excluded.data")
                for (key, text) in states { try state.execute(arguments: [key.deviceID, key.type, text]) }
                // Cleared ones first, so that an alarm raised again after one cleared in the same batch finds the type free.
                let alarm = try db.cachedStatement(
                    sql: "INSERT INTO device_alarms (id, device_id, type, active, raised_at, data) VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT(id) DO UPDATE SET active = excluded.active, data = excluded.data WHERE device_alarms.active")
                for (a, text) in alarms.sorted(by: { !$0.0.active && $1.0.active }) {
                    try alarm.execute(arguments: [a.id, a.deviceID, a.type, a.active, Self.deviceMillis(a.raisedAt), text])
                }
                let rejection = try db.cachedStatement(
                    sql: "INSERT INTO device_rejections (device_id, reason, n, last_message) VALUES (?, ?, 1, ?) "
                        + "ON CONFLICT(device_id, reason) DO UPDATE SET n = n + 1, last_message = excluded.last_message")
                for r in batch.rejections { try rejection.execute(arguments: [r.deviceID, r.reason.rawValue, r.message]) }
                let seen = try db.cachedStatement(
                    sql: "INSERT INTO device_seen (device_id, at) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE SET at = max(at, excluded.at)")
                for (id, at) in batch.lastSeen { try seen.execute(arguments: [id, Self.deviceMillis(at)]) }
                if let mark = batch.journal { try self.recordJournalMark(mark, db) }
                return new
            }
            if let mark = batch.journal { await trimJournal(mark) }
            return new
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            throw DomainError(.conflict, code: "alarm.active_exists", "a device already has an alarm of that type up")
        }
    }

    /// A device's readings of one measurement in a range.
    public func readings(deviceID: String, measurement: String, from: Date, to: Date, limit: Int) async throws -> [Reading] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT at, number, state FROM device_readings WHERE device_id = ? AND measurement = ? AND at >= ? AND at < ? ORDER BY at LIMIT ?",
                arguments: [deviceID, measurement, Self.deviceMillis(from), Self.deviceMillis(to), max(0, limit)]
            ).map { r in
                let value: ReadingValue = (r[2] as String?).map { .state($0) } ?? .number(r[1])
                return Reading(deviceID: deviceID, measurement: measurement, at: Date(timeIntervalSince1970: Double(r[0] as Int64) / 1000), value: value)
            }
        }
    }

    /// Alarms newest raised first.
    public func alarms(deviceID: String?, activeOnly: Bool, limit: Int) async throws -> [Alarm] {
        try await pool.read { db in
            var sql = "SELECT \(Self.alarmColumns) FROM device_alarms WHERE 1"
            var args: StatementArguments = []
            if let deviceID {
                sql += " AND device_id = ?"
                args += [deviceID]
            }
            if activeOnly { sql += " AND active" }
            return try Row.fetchAll(db, sql: sql + " ORDER BY raised_at DESC, id DESC LIMIT ?", arguments: args + [max(0, limit)]).map { try self.alarm($0) }
        }
    }

    /// Refused readings per device and reason.
    public func rejectionCounts(deviceID: String?) async throws -> [RejectionCount] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT device_id, reason, n, last_message FROM device_rejections WHERE ? IS NULL OR device_id = ? ORDER BY device_id, reason",
                arguments: [deviceID, deviceID]
            ).compactMap { r in
                ReadingRejection.Reason(rawValue: r[1]).map { RejectionCount(deviceID: r[0], reason: $0, count: r[2], lastMessage: r[3]) }
            }
        }
    }

    /// The alarm with this ID.
    public func alarm(id: String) async throws -> Alarm? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.alarmColumns) FROM device_alarms WHERE id = ?", arguments: [id]).map { try self.alarm($0) }
        }
    }

    /// Records a person's hand on an alarm, in the writer's turn (ingest cannot write between the read and the write).
    public func markAlarm(id: String, _ mark: AlarmMark) async throws -> Alarm? {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.alarmColumns) FROM device_alarms WHERE id = ?", arguments: [id]),
                let next = try self.alarm(row).marked(mark)
            else { return nil }
            try db.execute(
                sql: """
                    UPDATE device_alarms SET active = ?, data = ?, acknowledged_at = ?, acknowledged_by = ?, cleared_by = ?, case_id = ? WHERE id = ?
                    """,
                arguments: [
                    next.active, try self.json(next), next.acknowledgedAt.map(Self.deviceMillis), next.acknowledgedBy?.rawValue, next.clearedBy?.rawValue,
                    next.caseID?.rawValue, id,
                ])
            return next
        }
    }

    /// Keeps a device credential's hash, replacing the device's former one.
    public func saveDeviceCredential(deviceID: String, hash: String, mqttHash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM device_credentials WHERE device_id = ?", arguments: [deviceID])
            try db.execute(sql: "INSERT INTO device_credentials (hash, device_id, mqtt_hash) VALUES (?, ?, ?)", arguments: [hash, deviceID, mqttHash])
        }
    }

    /// Every device's MQTT password, by device ID.
    public func deviceMQTTPasswords() async throws -> [DeviceMQTTPassword] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT device_id, mqtt_hash FROM device_credentials WHERE mqtt_hash IS NOT NULL ORDER BY device_id")
                .map { DeviceMQTTPassword(deviceID: $0[0], hash: $0[1]) }
        }
    }

    /// The device whose credential has this hash.
    public func deviceID(credentialHash: String) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT device_id FROM device_credentials WHERE hash = ?", arguments: [credentialHash]) }
    }

    /// Raw and hourly readings together, in buckets of `seconds` from `from`.
    public func readingBuckets(deviceID: String, measurement: String, from: Date, to: Date, seconds: Int) async throws -> [ReadingBucket] {
        let (f, t, w) = (Self.deviceMillis(from), Self.deviceMillis(to), Int64(max(1, seconds)) * 1000)
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH u AS (
                        SELECT (at - ?1) / ?3 AS b, 1 AS n, number AS mn, number AS mx, number AS s, state, at FROM device_readings
                        WHERE device_id = ?4 AND measurement = ?5 AND at >= ?1 AND at < ?2
                        UNION ALL
                        SELECT (hour - ?1) / ?3, n, min, max, sum, last_state, last_at FROM device_readings_hourly
                        WHERE device_id = ?4 AND measurement = ?5 AND hour >= ?1 AND hour < ?2
                    )
                    SELECT b, sum(n), min(mn), max(mx), sum(s), (SELECT state FROM u AS v WHERE v.b = u.b ORDER BY at DESC LIMIT 1)
                    FROM u GROUP BY b ORDER BY b
                    """,
                arguments: [f, t, w, deviceID, measurement]
            ).map { r in
                let n: Int = r[1]
                let sum: Double? = r[4]
                return ReadingBucket(
                    start: Date(timeIntervalSince1970: Double(f + (r[0] as Int64) * w) / 1000), count: n, min: r[2], max: r[3],
                    mean: sum.map { $0 / Double(n) }, lastState: r[5])
            }
        }
    }

    /// Rolls raw readings older than `before` into hourly buckets and deletes them, in one transaction.
    public func compactReadings(deviceID: String, measurement: String, before: Date) async throws -> Int {
        let cutoff = Self.deviceMillis(before)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO device_readings_hourly (device_id, measurement, hour, n, min, max, sum, last_at, last_state)
                    SELECT device_id, measurement, (at / 3600000) * 3600000 AS h, count(*), min(number), max(number), sum(number), max(at),
                        (SELECT state FROM device_readings AS v WHERE v.device_id = ?1 AND v.measurement = ?2 AND v.at >= (r.at / 3600000) * 3600000
                            AND v.at < min(?3, (r.at / 3600000) * 3600000 + 3600000) ORDER BY v.at DESC LIMIT 1)
                    FROM device_readings AS r WHERE device_id = ?1 AND measurement = ?2 AND at < ?3 GROUP BY h
                    ON CONFLICT (device_id, measurement, hour) DO UPDATE SET
                        n = n + excluded.n,
                        min = CASE WHEN min IS NULL THEN excluded.min WHEN excluded.min IS NULL THEN min ELSE min(min, excluded.min) END,
                        max = CASE WHEN max IS NULL THEN excluded.max WHEN excluded.max IS NULL THEN max ELSE max(max, excluded.max) END,
                        sum = CASE WHEN sum IS NULL THEN excluded.sum WHEN excluded.sum IS NULL THEN sum ELSE sum + excluded.sum END,
                        last_state = CASE WHEN excluded.last_at >= last_at THEN excluded.last_state ELSE last_state END,
                        last_at = max(last_at, excluded.last_at)
                    """,
                arguments: [deviceID, measurement, cutoff])
            try db.execute(
                sql: "DELETE FROM device_readings WHERE device_id = ? AND measurement = ? AND at < ?", arguments: [deviceID, measurement, cutoff])
            return db.changesCount
        }
    }

    /// The columns an alarm is read from: ingest's record and the hands beside it.
    static let alarmColumns = "data, active, acknowledged_at, acknowledged_by, cleared_by, case_id"

    /// An alarm from a row of `alarmColumns`.
    func alarm(_ row: Row) throws -> Alarm {
        let at: Int64? = row[2]
        let by: String? = row[3]
        let cleared: String? = row[4]
        let caseID: String? = row[5]
        let data: String = row[0]
        let active: Bool = row[1]
        let seen: Date? = at.map { Date(timeIntervalSince1970: Double($0) / 1000) }
        return try decode(Alarm.self, data).withHands(
            active: active, acknowledgedAt: seen, acknowledgedBy: by.map { UserID($0) }, clearedBy: cleared.map { UserID($0) },
            caseID: caseID.map { CaseID($0) })
    }

    /// Milliseconds since 1970, as the device tables keep times.
    static func deviceMillis(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }
}
