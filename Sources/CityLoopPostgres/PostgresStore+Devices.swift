import CityLoopDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Registers or replaces devices.
    public func saveDevices(_ devices: [Device]) async throws {
        guard !devices.isEmpty else { return }
        let texts = try devices.map { try json($0) }
        _ = try await rows(
            """
            INSERT INTO devices (id, profile_id, grid_code, data)
            SELECT * FROM unnest(\(devices.map(\.id))::text[], \(devices.map(\.profileID))::text[], \(NullableArray(devices.map(\.gridCode)))::text[],
                \(texts)::text[])
            ON CONFLICT (id) DO UPDATE SET profile_id = excluded.profile_id, grid_code = excluded.grid_code, data = excluded.data
            """)
    }

    /// The device with this ID.
    public func device(id: String) async throws -> Device? {
        try await rows("SELECT data FROM devices WHERE id = \(id)").first.map { try decode(Device.self, try $0.decode(String.self)) }
    }

    /// Devices in ID order.
    public func devices(after: String?, limit: Int) async throws -> [Device] {
        try decodeAll(Device.self, try await rows("SELECT data FROM devices WHERE id > \(after ?? "") ORDER BY id LIMIT \(Int64(max(0, limit)))"))
    }

    /// Rule states, alarms up and last reports of the devices, in one statement.
    public func ingestState(deviceIDs: [String]) async throws -> DeviceIngestState {
        let ids = Array(Set(deviceIDs))
        var out = DeviceIngestState()
        var alarmRows: [PostgresRow] = []
        for row in try await rows(
            """
            SELECT 's', device_id, type, data, NULL::int8, NULL::bool, NULL::int8, NULL::text, NULL::text, NULL::text
                FROM device_rule_states WHERE device_id = ANY(\(ids)::text[])
            UNION ALL SELECT 'a', device_id, type, \(unescaped: Self.alarmColumns) FROM device_alarms WHERE active AND device_id = ANY(\(ids)::text[])
            UNION ALL SELECT 't', device_id, NULL, NULL, at, NULL, NULL, NULL, NULL, NULL FROM device_seen WHERE device_id = ANY(\(ids)::text[])
            """)
        {
            let (kind, device, type, data, at) = try row.decode((String, String, String?, String?, Int64?).self)
            switch (kind, type, data, at) {
            case ("s", let type?, let data?, _): out.ruleStates[DeviceRuleKey(deviceID: device, type: type)] = try RuleState(storedText: data)
            case ("a", _, _, _): alarmRows.append(row)
            case ("t", _, _, let at?): out.lastSeen[device] = Self.date(at)
            default: break
            }
        }
        for row in alarmRows {
            let a = try alarm(row, from: 3)
            out.activeAlarms[DeviceRuleKey(deviceID: a.deviceID, type: a.type)] = a
        }
        return out
    }

    /// Writes the batch in one statement (one transaction); a second alarm up for one device and type is refused
    /// (nothing written).
    public func writeIngest(_ batch: DeviceIngestBatch) async throws -> Int {
        var sql = SQLBuilder()
        var parts: [String] = []
        let readings = batch.readings
        parts.append(
            """
            INSERT INTO device_readings (device_id, measurement, at, number, state)
            SELECT * FROM unnest(\(sql.bind(readings.map(\.deviceID)))::text[], \(sql.bind(readings.map(\.measurement)))::text[],
                \(sql.bind(readings.map { Self.ms($0.at) }))::int8[], \(sql.bind(NullableArray(readings.map(\.value.number))))::float8[],
                \(sql.bind(NullableArray(readings.map { r -> String? in if case .state(let s) = r.value { s } else { nil } })))::text[])
            ON CONFLICT DO NOTHING RETURNING 1
            """)
        let states = batch.ruleStates.map { ($0.key, $0.value.storedText) }
        if !states.isEmpty {
            parts.append(
                """
                INSERT INTO device_rule_states (device_id, type, data)
                SELECT * FROM unnest(\(sql.bind(states.map(\.0.deviceID)))::text[], \(sql.bind(states.map(\.0.type)))::text[], \(sql.bind(states.map(\.1)))::text[])
                ON CONFLICT (device_id, type) DO UPDATE SET data = excluded.data
                """)
        }
        let rejections = Dictionary(grouping: batch.rejections) { "\($0.deviceID)\u{1}\($0.reason.rawValue)" }.values.map { ($0[0], $0.count, $0.last!.message) }
        if !rejections.isEmpty {
            parts.append(
                """
                INSERT INTO device_rejections AS r (device_id, reason, n, last_message)
                SELECT * FROM unnest(\(sql.bind(rejections.map(\.0.deviceID)))::text[], \(sql.bind(rejections.map(\.0.reason.rawValue)))::text[],
                    \(sql.bind(rejections.map { Int64($0.1) }))::int8[], \(sql.bind(rejections.map(\.2)))::text[])
                ON CONFLICT (device_id, reason) DO UPDATE SET n = r.n + excluded.n, last_message = excluded.last_message
                """)
        }
        let seen = batch.lastSeen.sorted { $0.key < $1.key }
        if !seen.isEmpty {
            parts.append(
                """
                INSERT INTO device_seen AS s (device_id, at) SELECT * FROM unnest(\(sql.bind(seen.map(\.key)))::text[], \(sql.bind(seen.map { Self.ms($0.value) }))::int8[])
                ON CONFLICT (device_id) DO UPDATE SET at = greatest(s.at, excluded.at)
                """)
        }
        if let mark = batch.journal { parts += journalMarkParts(mark, &sql) }
        let with = parts.enumerated().map { "w\($0.offset) AS (\($0.element))" }
        let statement = sql.query("WITH " + with.joined(separator: ",\n") + "\nSELECT count(*)::int8 FROM w0")
        do {
            return try await transaction { c in
                // Cleared alarms first, so that one raised again after it in the same batch finds the type free (a
                // statement checks the partial unique index row by row).
                for alarm in batch.alarms.sorted(by: { !$0.active && $1.active }) {
                    try await self.run(
                        """
                        INSERT INTO device_alarms (id, device_id, type, active, raised_at, data)
                        VALUES (\(alarm.id), \(alarm.deviceID), \(alarm.type), \(alarm.active), \(Self.ms(alarm.raisedAt)), \(try self.json(alarm)))
                        ON CONFLICT (id) DO UPDATE SET active = excluded.active, data = excluded.data WHERE device_alarms.active
                        """, on: c)
                }
                return try await self.rows(statement, on: c).first?.decode(Int.self) ?? 0
            }
        } catch where Self.isUniqueViolation(error) {
            throw DomainError(.conflict, code: "alarm.active_exists", "a device already has an alarm of that type up")
        }
    }

    /// A device's readings of one measurement in a range.
    public func readings(deviceID: String, measurement: String, from: Date, to: Date, limit: Int) async throws -> [Reading] {
        try await rows(
            """
            SELECT at, number, state FROM device_readings WHERE device_id = \(deviceID) AND measurement = \(measurement)
                AND at >= \(Self.ms(from)) AND at < \(Self.ms(to)) ORDER BY at LIMIT \(Int64(max(0, limit)))
            """
        ).map { r in
            let (at, number, state) = try r.decode((Int64, Double?, String?).self)
            return Reading(deviceID: deviceID, measurement: measurement, at: Self.date(at), value: state.map { .state($0) } ?? .number(number ?? .nan))
        }
    }

    /// Alarms newest raised first.
    public func alarms(deviceID: String?, activeOnly: Bool, limit: Int) async throws -> [Alarm] {
        try await rows(
            """
            SELECT \(unescaped: Self.alarmColumns) FROM device_alarms WHERE (\(deviceID)::text IS NULL OR device_id = \(deviceID)) AND (active OR NOT \(activeOnly))
            ORDER BY raised_at DESC, id DESC LIMIT \(Int64(max(0, limit)))
            """
        ).map { try alarm($0, from: 0) }
    }

    /// Refused readings per device and reason.
    public func rejectionCounts(deviceID: String?) async throws -> [RejectionCount] {
        try await rows(
            """
            SELECT device_id, reason, n, last_message FROM device_rejections WHERE \(deviceID)::text IS NULL OR device_id = \(deviceID)
            ORDER BY device_id, reason
            """
        ).compactMap { r in
            let (device, reason, n, message) = try r.decode((String, String, Int, String).self)
            return ReadingRejection.Reason(rawValue: reason).map { RejectionCount(deviceID: device, reason: $0, count: n, lastMessage: message) }
        }
    }

    /// The alarm with this ID.
    public func alarm(id: String) async throws -> Alarm? {
        try await rows("SELECT \(unescaped: Self.alarmColumns) FROM device_alarms WHERE id = \(id)").first.map { try alarm($0, from: 0) }
    }

    /// Records a person's hand on an alarm; the row is locked from the read to the write, so ingest cannot write between.
    public func markAlarm(id: String, _ mark: AlarmMark) async throws -> Alarm? {
        try await transaction { c in
            guard let row = try await self.rows("SELECT \(unescaped: Self.alarmColumns) FROM device_alarms WHERE id = \(id) FOR UPDATE", on: c).first,
                let next = try self.alarm(row, from: 0).marked(mark)
            else { return nil }
            try await self.run(
                """
                UPDATE device_alarms SET active = \(next.active), data = \(try self.json(next)), acknowledged_at = \(next.acknowledgedAt.map(Self.ms)),
                    acknowledged_by = \(next.acknowledgedBy?.rawValue), cleared_by = \(next.clearedBy?.rawValue), case_id = \(next.caseID?.rawValue)
                WHERE id = \(id)
                """, on: c)
            return next
        }
    }

    /// Keeps a device credential's hash, replacing the device's former one.
    public func saveDeviceCredential(deviceID: String, hash: String, mqttHash: String) async throws {
        try await transaction { c in
            try await self.run("DELETE FROM device_credentials WHERE device_id = \(deviceID)", on: c)
            try await self.run("INSERT INTO device_credentials (hash, device_id, mqtt_hash) VALUES (\(hash), \(deviceID), \(mqttHash))", on: c)
        }
    }

    /// Every device's MQTT password, by device ID.
    public func deviceMQTTPasswords() async throws -> [DeviceMQTTPassword] {
        try await rows("SELECT device_id, mqtt_hash FROM device_credentials WHERE mqtt_hash IS NOT NULL ORDER BY device_id").map { r in
            let (id, hash) = try r.decode((String, String).self)
            return DeviceMQTTPassword(deviceID: id, hash: hash)
        }
    }

    /// The device whose credential has this hash.
    public func deviceID(credentialHash: String) async throws -> String? {
        try await rows("SELECT device_id FROM device_credentials WHERE hash = \(credentialHash)").first?.decode(String.self)
    }

    /// Raw and hourly readings together, in buckets of `seconds` from `from`.
    public func readingBuckets(deviceID: String, measurement: String, from: Date, to: Date, seconds: Int) async throws -> [ReadingBucket] {
        let (f, t, w) = (Self.ms(from), Self.ms(to), Int64(max(1, seconds)) * 1000)
        return try await rows(
            """
            SELECT b, sum(n)::int8, min(mn), max(mx), sum(s), (array_agg(state ORDER BY at DESC))[1] FROM (
                SELECT (at - \(f)) / \(w) AS b, 1 AS n, number AS mn, number AS mx, number AS s, state, at FROM device_readings
                WHERE device_id = \(deviceID) AND measurement = \(measurement) AND at >= \(f) AND at < \(t)
                UNION ALL
                SELECT (hour - \(f)) / \(w), n, min, max, sum, last_state, last_at FROM device_readings_hourly
                WHERE device_id = \(deviceID) AND measurement = \(measurement) AND hour >= \(f) AND hour < \(t)
            ) u GROUP BY b ORDER BY b
            """
        ).map { r in
            let (b, n, lo, hi, sum, state) = try r.decode((Int64, Int, Double?, Double?, Double?, String?).self)
            return ReadingBucket(start: Self.date(f + b * w), count: n, min: lo, max: hi, mean: sum.map { $0 / Double(n) }, lastState: state)
        }
    }

    /// Rolls raw readings older than `before` into hourly buckets and deletes them, in one statement.
    public func compactReadings(deviceID: String, measurement: String, before: Date) async throws -> Int {
        try await rows(
            """
            WITH gone AS (
                DELETE FROM device_readings WHERE device_id = \(deviceID) AND measurement = \(measurement) AND at < \(Self.ms(before))
                RETURNING at, number, state
            ), hourly AS (
                INSERT INTO device_readings_hourly AS h (device_id, measurement, hour, n, min, max, sum, last_at, last_state)
                SELECT \(deviceID), \(measurement), (at / 3600000) * 3600000, count(*), min(number), max(number), sum(number), max(at),
                    (array_agg(state ORDER BY at DESC))[1]
                FROM gone GROUP BY 3
                ON CONFLICT (device_id, measurement, hour) DO UPDATE SET
                    n = h.n + excluded.n, min = least(h.min, excluded.min), max = greatest(h.max, excluded.max),
                    sum = CASE WHEN h.sum IS NULL THEN excluded.sum WHEN excluded.sum IS NULL THEN h.sum ELSE h.sum + excluded.sum END,
                    last_state = CASE WHEN excluded.last_at >= h.last_at THEN excluded.last_state ELSE h.last_state END,
                    last_at = greatest(h.last_at, excluded.last_at)
            )
            SELECT count(*)::int8 FROM gone
            """
        ).first?.decode(Int.self) ?? 0
    }

    /// The columns an alarm is read from: ingest's record and the hands beside it.
    static let alarmColumns = "data, NULL::int8, active, acknowledged_at, acknowledged_by, cleared_by, case_id"

    /// An alarm from a row whose `alarmColumns` start at `index`.
    func alarm(_ row: PostgresRow, from index: Int) throws -> Alarm {
        var cells = row.makeIterator()
        for _ in 0..<index { _ = cells.next() }
        func next<T: PostgresDecodable>(_: T.Type) throws -> T { try cells.next()!.decode(T.self) }
        let data = try next(String.self)
        _ = cells.next()
        let active = try next(Bool.self)
        let at = try next(Int64?.self)
        let by = try next(String?.self)
        let cleared = try next(String?.self)
        let caseID = try next(String?.self)
        let seen: Date? = at.map { Self.date($0) }
        return try decode(Alarm.self, data).withHands(
            active: active, acknowledgedAt: seen, acknowledgedBy: by.map { UserID($0) }, clearedBy: cleared.map { UserID($0) },
            caseID: caseID.map { CaseID($0) })
    }
}
