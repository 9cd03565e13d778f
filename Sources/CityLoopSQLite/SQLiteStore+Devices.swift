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
                try String.fetchAll(db, sql: "SELECT data FROM device_alarms WHERE active AND device_id IN \(list)", arguments: args),
                try Row.fetchAll(db, sql: "SELECT device_id, at FROM device_seen WHERE device_id IN \(list)", arguments: args)
                    .map { ($0[0] as String, $0[1] as Int64) }
            )
        }
        var out = DeviceIngestState()
        for (key, text) in states { out.ruleStates[key] = try decode(RuleState.self, text) }
        for text in alarms {
            let a = try decode(Alarm.self, text)
            out.activeAlarms[DeviceRuleKey(deviceID: a.deviceID, type: a.type)] = a
        }
        for (id, at) in seen { out.lastSeen[id] = Date(timeIntervalSince1970: Double(at) / 1000) }
        return out
    }

    /// Writes the batch in one transaction; a second alarm up for one device and type is refused (nothing written).
    public func writeIngest(_ batch: DeviceIngestBatch) async throws -> Int {
        let states = try batch.ruleStates.map { ($0.key, try json($0.value)) }
        let alarms = try batch.alarms.map { ($0, try json($0)) }
        do {
            return try await pool.write { db in
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
                        + "ON CONFLICT(id) DO UPDATE SET active = excluded.active, data = excluded.data")
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
                return new
            }
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
            var sql = "SELECT data FROM device_alarms WHERE 1"
            var args: StatementArguments = []
            if let deviceID {
                sql += " AND device_id = ?"
                args += [deviceID]
            }
            if activeOnly { sql += " AND active" }
            return try String.fetchAll(db, sql: sql + " ORDER BY raised_at DESC, id DESC LIMIT ?", arguments: args + [max(0, limit)])
        }.map { try decode(Alarm.self, $0) }
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

    /// Milliseconds since 1970, as the device tables keep times.
    static func deviceMillis(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }
}
