import Foundation

/// One stored value as a city copy (迁移) moves it between stores: exactly as stored, never re-encoded.
public enum CopyValue: Hashable, Codable, Sendable {
    /// SQL NULL.
    case null
    /// An integer (also a boolean: 0 or 1).
    case integer(Int64)
    /// A floating-point number.
    case real(Double)
    /// Text.
    case text(String)
    /// Bytes.
    case bytes([UInt8])
}

/// A column of a copied table and what kind of value it holds.
public struct CopyColumn: Hashable, Sendable {
    /// What a column holds; each store keeps it in its own SQL type (a boolean is `integer` in SQLite).
    public enum Kind: Hashable, Sendable { case integer, real, text, bytes, boolean }
    /// The column's name, the same in every store.
    public var name: String
    /// What it holds.
    public var kind: Kind

    /// Creates a column.
    public init(_ name: String, _ kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// A table of the city as the copy moves it: its columns (the ones every store has, named alike) and the leading
/// columns that are its key, by which it is read in ascending pages and resumed.
public struct CopyTable: Hashable, Sendable {
    /// The table's name, the same in every store.
    public var name: String
    /// Its columns; the first `keyCount` are the key.
    public var columns: [CopyColumn]
    /// How many leading columns make the key.
    public var keyCount: Int

    /// Creates a table description.
    public init(_ name: String, key: Int = 1, _ columns: [CopyColumn]) {
        self.name = name
        self.columns = columns
        keyCount = key
    }

    /// The key of a row of this table.
    public func key(of row: [CopyValue]) -> [CopyValue] { Array(row.prefix(keyCount)) }
}

extension CopyTable {
    private static func t(_ name: String) -> CopyColumn { CopyColumn(name, .text) }
    private static func i(_ name: String) -> CopyColumn { CopyColumn(name, .integer) }

    /// Every table that makes up a city, in the order they are copied: reference data, accounts and settings first,
    /// then the cases with their events and reporters, the city ledger (总账) verbatim, the evaluation and analytics
    /// sums, the outbox, the early-warning alerts, the sign-in log, the devices with their readings, rule states,
    /// alarms (with people's hands on them), credentials, hourly buckets, last reports and refused readings, the fleet with its sites, permits, positions,
    /// trackers and events, the cameras with their detections, candidates, policies and re-checks, and the record of repaired texts. A case's
    /// position (`pos`: SQLite's rowid) is kept, so listings in stored order read the same on both sides. Not
    /// copied: schema migration records (each store keeps its own) and API keys' request budgets (`rate_budgets`, a
    /// minute's worth of state that refills by itself).
    public static let city: [CopyTable] = [
        CopyTable("areas", [t("code"), t("level"), t("data")]),
        CopyTable("grids", [t("code"), t("data")]),
        CopyTable("catalog_extensions", key: 2, [t("kind"), t("code"), t("data")]),
        CopyTable("departments", [t("id"), t("data")]),
        CopyTable("rules", [i("position"), t("id"), t("data")]),
        CopyTable("components", [t("id"), t("class_code"), t("grid_code"), t("state"), t("data")]),
        CopyTable("settings", [t("key"), t("value")]),
        CopyTable("users", [t("id"), t("username"), t("password_hash"), t("data")]),
        CopyTable("tokens", [t("hash"), t("user_id"), CopyColumn("is_api", .boolean), t("data")]),
        CopyTable("places", [i("id"), t("name"), t("address"), CopyColumn("lat", .real), CopyColumn("lon", .real)]),
        CopyTable("unplaced_reports", [t("id"), t("key"), i("received_at"), CopyColumn("placed", .boolean), t("data")]),
        CopyTable("sequences", [t("key"), i("value")]),
        CopyTable(
            "cases",
            [
                i("pos"), t("id"), t("number"), t("client_request_id"), t("request_key"), t("source"), t("matter_code"), t("state"),
                t("lead_department"), t("assisting"), t("grid_code"), CopyColumn("lat", .real), CopyColumn("lon", .real), i("cell"),
                i("created_at"), i("updated_at"), i("step_due_at"), CopyColumn("has_deadline", .boolean), i("version"), i("filed_at"),
                i("closed_at"), i("handling_due_at"), t("data"),
            ]),
        CopyTable("case_events", key: 2, [t("case_id"), i("seq"), t("hash"), t("data")]),
        CopyTable("case_reporters", key: 2, [t("user_id"), t("case_id")]),
        CopyTable("ledger", [i("seq"), t("case_id"), i("event_seq"), t("event_hash"), t("hash")]),
        CopyTable("case_facts", key: 2, [i("day"), t("case_id"), t("grid_code"), CopyColumn("data", .bytes)]),
        CopyTable("eval_counts", key: 4, [i("day"), i("kind"), t("subject"), i("counter"), i("n")]),
        CopyTable("case_counts", key: 3, [t("area"), t("matter"), i("day"), i("n")]),
        CopyTable(
            "notice_outbox",
            [i("id"), t("data"), i("attempts"), i("next_attempt_at"), i("delivered_at"), t("last_error"), t("leased_by"), i("lease_until")]),
        CopyTable("early_warnings", [i("seq"), t("id"), t("record"), t("task_case_id"), t("task_case_number")]),
        CopyTable("login_attempts", [i("id"), i("at"), t("username"), t("address"), t("outcome"), t("reason")]),
        CopyTable("devices", [t("id"), t("profile_id"), t("grid_code"), t("data")]),
        CopyTable(
            "device_readings", key: 3, [t("device_id"), t("measurement"), i("at"), CopyColumn("number", .real), t("state")]),
        CopyTable("device_rule_states", key: 2, [t("device_id"), t("type"), t("data")]),
        CopyTable(
            "device_alarms",
            [
                t("id"), t("device_id"), t("type"), CopyColumn("active", .boolean), i("raised_at"), t("data"), i("acknowledged_at"),
                t("acknowledged_by"), t("cleared_by"), t("case_id"),
            ]),
        CopyTable("device_credentials", [t("hash"), t("device_id"), t("mqtt_hash")]),
        CopyTable(
            "device_readings_hourly", key: 3,
            [
                t("device_id"), t("measurement"), i("hour"), i("n"), CopyColumn("min", .real), CopyColumn("max", .real), CopyColumn("sum", .real),
                i("last_at"), t("last_state"),
            ]),
        CopyTable("device_seen", [t("device_id"), i("at")]),
        CopyTable("device_rejections", key: 2, [t("device_id"), t("reason"), i("n"), t("last_message")]),
        CopyTable("vehicles", [t("id"), t("terminal_phone"), t("auth_hash"), t("data")]),
        CopyTable("vehicle_sites", [t("id"), t("data")]),
        CopyTable("transport_permits", [t("id"), t("vehicle_id"), t("data")]),
        CopyTable(
            "vehicle_positions", key: 2,
            [
                t("vehicle_id"), i("at"), CopyColumn("lat", .real), CopyColumn("lon", .real), CopyColumn("speed", .real),
                CopyColumn("direction", .real), t("load"), CopyColumn("acc", .boolean), i("alarm"), CopyColumn("positioned", .boolean),
            ]),
        CopyTable("vehicle_trackers", [t("vehicle_id"), t("data"), i("token")]),
        CopyTable("drivers", [t("id"), t("company_id"), t("data")]),
        CopyTable("vehicle_events", [i("seq"), t("vehicle_id"), i("at"), t("code"), t("data"), t("company_id")]),
        CopyTable("vehicle_trips", key: 2, [t("vehicle_id"), i("started_at"), i("ended_at"), t("data")]),
        CopyTable(
            "weighbridge_tickets", key: 2,
            [t("site_id"), t("number"), t("vehicle_id"), i("weighed_at"), CopyColumn("net_kg", .real), t("finding"), t("data")]),
        CopyTable("road_segments", [t("id"), t("data")]),
        CopyTable("route_assignments", [t("id"), t("vehicle_id"), t("data")]),
        CopyTable(
            "shift_coverages", key: 2,
            [t("assignment_id"), i("shift_start"), t("vehicle_id"), CopyColumn("share", .real), t("data")]),
        CopyTable("company_notices", [t("id"), t("company_id"), t("state"), i("issued_at"), i("version"), t("data")]),
        CopyTable("cameras", [t("id"), i("last_contact"), t("data")]),
        CopyTable("detection_policies", [t("type"), t("data")]),
        CopyTable(
            "detection_candidates",
            [t("id"), t("camera_id"), t("type"), t("state"), CopyColumn("sampled", .boolean), i("last_seen"), i("version"), t("fact"), t("data")]),
        CopyTable("detection_scenes", [t("scene"), t("candidate_id")]),
        CopyTable("detections", [t("id"), t("camera_id"), i("at"), t("outcome"), t("candidate_id"), t("data")]),
        CopyTable("camera_rechecks", [t("case_id"), t("camera_id"), CopyColumn("final", .boolean), t("data")]),
        CopyTable(
            "text_repairs",
            [t("case_id"), t("number"), i("repaired_at"), i("events_repaired"), i("case_row_repaired"), t("old_head"), t("new_head")]),
    ]
}

/// Where an unfinished copy stands, kept in the target (in the transaction of each page) so that running the
/// same copy again continues after the last page written.
public struct CopyProgress: Hashable, Codable, Sendable {
    /// The source the copy reads, as the command named it (without a password).
    public var source: String
    /// The table being copied (`CopyTable.name`).
    public var table: String
    /// The key of the last row written into it; nil before its first page.
    public var after: [CopyValue]?

    /// Creates a position.
    public init(source: String, table: String, after: [CopyValue]?) {
        self.source = source
        self.table = table
        self.after = after
    }

    /// The setting under which a target keeps it; a source holding it is itself an unfinished copy.
    public static let settingKey = "copy.progress"
}

/// Reading and writing a whole city table by table (`cityloop copy`): rows as stored, by ascending key, so a city
/// moves between stores verbatim (the same case records, event hashes and ledger chain). The paging, progress
/// and resuming live in the service (`CityCopy`); a store only reads and writes rows.
public protocol CityCopyStore: Sendable {
    /// How many rows the table holds.
    func copyCount(_ table: CopyTable) async throws -> Int
    /// Up to `limit` rows of the table in ascending key order, after `key` (from the start when nil), with the
    /// table's columns in order.
    func copyRows(_ table: CopyTable, after key: [CopyValue]?, limit: Int) async throws -> [[CopyValue]]
    /// Writes rows into the table and records `progress` (the copy's position after these rows) in one
    /// transaction: a page is stored whole or not at all.
    func writeCopyRows(_ table: CopyTable, _ rows: [[CopyValue]], progress: CopyProgress) async throws
    /// The position of an unfinished copy into this store, if there is one.
    func copyProgress() async throws -> CopyProgress?
    /// Ends a copy into this store: removes the recorded position and lets the store's own numbering (identity
    /// sequences) continue after the copied rows.
    func finishCopy() async throws
}
