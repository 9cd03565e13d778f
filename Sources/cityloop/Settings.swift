import CityLoopDomain
import CityLoopSQLite
import CityLoopHTTP
import CityLoopPostgres
import CityLoopServices
import CityLoopMQTT
import Configuration
import Foundation
import Logging
import SystemPackage

/// The typed configuration of the `cityloop` commands (swift-configuration), read from the command line, then the
/// environment (`CITYLOOP_` + the key in capitals, dots as underscores), then a JSON file, then defaults.
///
/// Keys (JSON file form in brackets):
/// - `data` — folder holding the database and media files; default `./data` (`{"data": "/srv/cityloop"}`)
/// - `role` — what `serve` runs: `web` (the API and console), `worker` (the background work) or `all` (default)
/// - `database` — the database URL: `sqlite:DIR`, `sqlite:FILE.sqlite` or `postgres://user[:password]@host:5432/cityloop`;
///   default the SQLite file in the data folder (a secret: its password is never printed)
/// - `read.database` — a streaming replica of the PostgreSQL `database` (`postgres://…`) that answers the evaluation,
///   analytics, report and screen queries once it has caught up with the primary (a secret like `database`)
/// - `media` — folder holding evidence files; default `media` inside the data folder
/// - `lang` — console language, `zh` (default) or `en`
/// - `host`, `port` — where `serve` listens; defaults `127.0.0.1` and `8080`
/// - `log.level` — `trace` … `critical`; default `info` (`{"log": {"level": "debug"}}`)
/// - `demo.password` — the demo accounts' password for `serve --demo` (a secret: never printed)
/// - `notify.webhook` — an http(s) URL that receives reporters' notices as JSON; without it they go to
///   `notices.log` in the data folder; `notify.lease` — seconds a node keeps the notices it claimed for delivery
///   (default 120; with several nodes, how long a dead node's notices wait for another)
/// - `open311.path` — where Open311 GeoReport v2 is served; default `/open311/v2`
/// - `open311.anonymousWrites` — `true` lets requests without an `api_key` post; default `false`
/// - `open311.rate` — requests per minute for an API key without its own rate; default 600
/// - `open311.jurisdiction` — the `jurisdiction_id` served; when absent any (or none) is accepted
/// - `open311.hidden` — comma-separated matter codes or major classes kept off the public service list
/// - `web` — serve the web console's pages from this folder instead of the copy built in (for working on them)
/// - `console.tileURL`, `console.tileAttribution` — a base-map tile server, when the deployment has one
/// - `http.trustedProxies` — comma-separated proxy addresses whose `X-Forwarded-For` names the client; default none
/// - `callbacks.allowHosts` — comma-separated hosts in private networks that partner callbacks and the notice webhook
///   may call (everything else must be a public address)
/// - `cors.origins` — comma-separated browser origins allowed to call the API (CORS); default none (off)
/// - `ledger.key` — the Ed25519 key file signing ledger checkpoints; default `<data>.ledger-key` beside the data folder
/// - `ledger.checkpoints` — the append-only checkpoint log; default `<data>.checkpoints.jsonl` beside the key
/// - `ledger.witness` — an http(s) URL that receives each checkpoint; `ledger.interval` — seconds between checkpoints (3600)
///
/// The file is named by `--config` or `CITYLOOP_CONFIG`; when neither is given, `cityloop.json` in the current
/// folder is read if it exists.
struct Settings: Sendable {
    /// The data folder.
    var dataFolder: URL
    /// The database: the SQLite file in the data folder unless configured.
    var database: DatabaseLocation
    /// A read replica of the database, when configured.
    var readDatabase: DatabaseLocation?
    /// What this node does.
    var role = NodeRole.all
    /// The evidence files' folder.
    var mediaFolder: URL
    /// Console messages in the chosen language.
    var messages: Messages
    /// Listening address.
    var host: String
    /// Listening port (0 picks a free one).
    var port: Int
    /// Log level.
    var logLevel: Logger.Level
    /// The demo accounts' password, when configured.
    var demoPassword: String?
    /// Where reporters' notices are posted, when configured.
    var noticeWebhook: URL?
    /// How long a node keeps the notices it claimed.
    var noticeLease = NoticeDispatcher.defaultLease
    /// How Open311 is served.
    var open311 = GeoReportOptions()
    /// How the web console is served.
    var console = ConsoleOptions()
    /// Trusted proxies and CORS.
    var frontDoor = FrontDoorOptions()
    /// Which callback and webhook hosts may be called.
    var callbacks = CallbackAddressPolicy()
    /// The ledger's key, checkpoint log and witness.
    var ledger = LedgerOptions()
    /// The MQTT broker devices publish to, when configured.
    var mqtt: MQTTOptions?
    /// A device is offline after its reporting interval × this.
    var offlineFactor = 3.0
    /// Days raw readings are kept before they become hourly buckets.
    var rawReadingDays = 30
    /// Days raw vehicle positions are kept before the tracks are downsampled to one position a minute.
    var rawPositionDays = 30
    /// The TCP port of the JT/T 808 server for vehicle terminals, when it runs (on `host`).
    var jt808Port: Int?
    /// Seconds a JT/T 808 connection may take to authenticate (`jt808.authSeconds`).
    var jt808AuthSeconds = 60
    /// Seconds a JT/T 808 connection may stay silent before it is closed (`jt808.idleSeconds`).
    var jt808IdleSeconds = 180

    /// Reads the settings; `commandLine` holds the options given on the command line (nil when absent).
    static func load(
        configFile: String?, commandLine: [String: String?], environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Settings {
        var given: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in commandLine {
            if let value { given[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = .init(.string(value), isSecret: key == "demo.password" || key == "database") }
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: given),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(["CITYLOOP_DEMO_PASSWORD", "CITYLOOP_DATABASE", "CITYLOOP_READ_DATABASE"]))
                .prefixKeys(with: "cityloop"),
        ]
        let explicit = configFile ?? environment["CITYLOOP_CONFIG"]
        let path = explicit ?? "cityloop.json"
        if explicit != nil || FileManager.default.fileExists(atPath: path) {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(path)))
        }
        let config = ConfigReader(providers: providers)
        let lang = config.string(forKey: "lang", default: "zh")
        let level = config.string(forKey: "log.level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw SettingsError(key: "log.level", message: "'\(level)' is not a log level (trace, debug, info, notice, warning, error, critical)")
        }
        // Present but unusable is an error, not the default.
        let portNumber: Int
        if let p = config.int(forKey: "port") {
            portNumber = p
        } else if let text = config.string(forKey: "port") {
            guard let p = Int(text) else { throw SettingsError(key: "port", message: "'\(text)' is not a port number") }
            portNumber = p
        } else {
            portNumber = 8080
        }
        guard (0...65535).contains(portNumber) else { throw SettingsError(key: "port", message: "\(portNumber) is not a port number") }
        var webhook: URL?
        if let text = config.string(forKey: "notify.webhook") {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw SettingsError(key: "notify.webhook", message: "'\(text)' is not an http(s) URL")
            }
            webhook = url
        }
        var noticeLease = NoticeDispatcher.defaultLease
        if let text = config.string(forKey: "notify.lease") ?? config.int(forKey: "notify.lease").map(String.init) {
            guard let seconds = Int(text), (5...3600).contains(seconds) else {
                throw SettingsError(key: "notify.lease", message: "'\(text)' is not a number of seconds from 5 to 3600")
            }
            noticeLease = TimeInterval(seconds)
        }
        var open311 = GeoReportOptions()
        if let path = config.string(forKey: "open311.path") {
            guard path.hasPrefix("/"), !path.hasSuffix("/"), !path.contains(" "), !path.contains(":") else {
                throw SettingsError(key: "open311.path", message: "'\(path)' is not a path such as /open311/v2")
            }
            open311.basePath = path
        }
        if let text = config.string(forKey: "open311.anonymousWrites") {
            guard let b = Bool(text) else { throw SettingsError(key: "open311.anonymousWrites", message: "'\(text)' is not true or false") }
            open311.anonymousWrites = b
        } else if let b = config.bool(forKey: "open311.anonymousWrites") {
            open311.anonymousWrites = b
        }
        if let text = config.string(forKey: "open311.rate") ?? config.int(forKey: "open311.rate").map(String.init) {
            guard let r = Int(text), r > 0 else { throw SettingsError(key: "open311.rate", message: "'\(text)' is not a positive number of requests per minute") }
            open311.defaultRatePerMinute = r
        }
        open311.jurisdiction = config.string(forKey: "open311.jurisdiction")
        if let hidden = config.string(forKey: "open311.hidden") {
            let codes = hidden.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard codes.allSatisfy({ [2, 5].contains($0.count) && $0.allSatisfy(\.isNumber) }) else {
                throw SettingsError(key: "open311.hidden", message: "'\(hidden)' is not a list of 2- or 5-digit codes")
            }
            open311.hiddenServices = Set(codes)
        }
        var console = ConsoleOptions()
        if let web = config.string(forKey: "web") {
            guard FileManager.default.fileExists(atPath: web + "/index.html") else {
                throw SettingsError(key: "web", message: "'\(web)' holds no index.html")
            }
            console.webRoot = web
        }
        if let tiles = config.string(forKey: "console.tileURL") {
            guard tiles.hasPrefix("http://") || tiles.hasPrefix("https://") || tiles.hasPrefix("/"), tiles.contains("{z}") else {
                throw SettingsError(key: "console.tileURL", message: "'\(tiles)' is not a tile URL template such as https://tiles.example/{z}/{x}/{y}.png")
            }
            console.tileURL = tiles
        }
        console.tileAttribution = config.string(forKey: "console.tileAttribution")
        func list(_ key: ConfigKey) -> [String] {
            (config.string(forKey: key) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let frontDoor = FrontDoorOptions(trustedProxies: Set(list("http.trustedProxies")), corsOrigins: list("cors.origins"))
        let ledger = try LedgerOptions.read { name in
            let key = ConfigKey(name.split(separator: ".").map(String.init))
            return config.string(forKey: key) ?? config.int(forKey: key).map(String.init)
        }
        let data = URL(fileURLWithPath: config.string(forKey: "data", default: "data"), isDirectory: true)
        let database = try config.string(forKey: "database", isSecret: true).map { text in
            do { return try DatabaseLocation(parsing: text) } catch let e as StoreError { throw SettingsError(key: "database", message: e.message) }
        } ?? .sqlite(folder: data)
        let readDatabase = try config.string(forKey: "read.database", isSecret: true).map { text in
            let location: DatabaseLocation
            do { location = try DatabaseLocation(parsing: text) } catch let e as StoreError { throw SettingsError(key: "read.database", message: e.message) }
            guard case .postgres = location, case .postgres = database else {
                throw SettingsError(key: "read.database", message: "a read replica is a PostgreSQL replica of a PostgreSQL database (postgres://…)")
            }
            return location
        }
        var mqtt: MQTTOptions?
        if let url = config.string(forKey: "mqtt.url") {
            guard url.hasPrefix("mqtt://") || url.hasPrefix("tcp://") else { throw SettingsError(key: "mqtt.url", message: "'\(url)' is not an mqtt://host:port URL") }
            let city = config.string(forKey: "mqtt.city", default: "city")
            guard DeviceTopics.isCityName(city) else { throw SettingsError(key: "mqtt.city", message: "'\(city)' is not 1–32 letters, digits, _ or -") }
            let connections = config.int(forKey: "mqtt.connections") ?? Int(config.string(forKey: "mqtt.connections") ?? "") ?? 4
            guard (1...64).contains(connections) else { throw SettingsError(key: "mqtt.connections", message: "give 1 to 64 connections") }
            mqtt = MQTTOptions(
                url: url, city: city, connections: connections,
                clientID: config.string(forKey: "mqtt.clientID", default: "cityloop-\(ProcessInfo.processInfo.hostName)"),
                username: config.string(forKey: "mqtt.username"), password: config.string(forKey: "mqtt.password", isSecret: true))
        }
        // A whole number from the file (a number or a string, as the environment gives it); anything else is refused.
        func whole(_ key: String, default value: Int, in range: ClosedRange<Int>, _ message: String) throws -> Int {
            let text = config.string(forKey: ConfigKey(key))
            guard let n = config.int(forKey: ConfigKey(key)) ?? (text == nil ? value : Int(text!)), range.contains(n) else {
                let given = text ?? config.int(forKey: ConfigKey(key)).map(String.init) ?? ""
                throw SettingsError(key: key, message: "'\(given)' is not allowed: \(message)")
            }
            return n
        }
        let rawDays = try whole("devices.rawDays", default: 30, in: 1...3650, "keep raw readings 1 to 3650 days")
        let positionDays = try whole("vehicles.rawDays", default: 30, in: 1...3650, "keep raw positions 1 to 3650 days")
        let offlineFactor = config.double(forKey: "devices.offlineFactor") ?? Double(config.string(forKey: "devices.offlineFactor") ?? "") ?? 3
        guard (1...100).contains(offlineFactor) else { throw SettingsError(key: "devices.offlineFactor", message: "give a factor from 1 to 100") }
        let jt808Port = config.int(forKey: "jt808.port") ?? config.string(forKey: "jt808.port").flatMap { Int($0) }
        if let p = jt808Port, !(0...65535).contains(p) { throw SettingsError(key: "jt808.port", message: "'\(p)' is not a TCP port") }
        if config.string(forKey: "jt808.port").map({ Int($0) == nil }) ?? false {
            throw SettingsError(key: "jt808.port", message: "'\(config.string(forKey: "jt808.port") ?? "")' is not a TCP port")
        }
        let authSeconds = try whole("jt808.authSeconds", default: 60, in: 5...3600, "give 5 to 3600 seconds")
        let idleSeconds = try whole("jt808.idleSeconds", default: 180, in: 30...86_400, "give 30 to 86400 seconds")
        let roleText = config.string(forKey: "role", default: NodeRole.all.rawValue)
        guard let role = NodeRole(rawValue: roleText) else { throw SettingsError(key: "role", message: "'\(roleText)' is not web, worker or all") }
        return Settings(
            dataFolder: data, database: database, readDatabase: readDatabase, role: role,
            mediaFolder: config.string(forKey: "media").map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? data.appendingPathComponent("media", isDirectory: true),
            messages: Messages(lang: lang), host: config.string(forKey: "host", default: "127.0.0.1"), port: portNumber,
            logLevel: logLevel, demoPassword: config.string(forKey: "demo.password", isSecret: true), noticeWebhook: webhook, noticeLease: noticeLease,
            open311: open311, console: console, frontDoor: frontDoor, callbacks: CallbackAddressPolicy(allowHosts: Set(list("callbacks.allowHosts"))), ledger: ledger,
            mqtt: mqtt, offlineFactor: offlineFactor, rawReadingDays: rawDays, rawPositionDays: positionDays, jt808Port: jt808Port,
            jt808AuthSeconds: authSeconds, jt808IdleSeconds: idleSeconds)
    }

    /// Opens the configured database, applying pending migrations unless `migrate` is false.
    func openStore(migrate: Bool = true) async throws -> any CityStore { try await database.open(migrate: migrate) }

    /// Opens (creating and migrating) the database and media store, and the platform over them.
    func openPlatform(passwords: Passwords = Passwords()) async throws -> (Platform, any CityStore) {
        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
        let store = try await openStore()
        let media = try FileMediaStore(root: mediaFolder)
        let notices: any ReporterNotifier =
            try noticeWebhook.map { try WebhookNotifier(url: $0, policy: callbacks) } ?? NoticeLogFile(url: dataFolder.appendingPathComponent("notices.log"))
        let audit = try AccessLogFile(url: dataFolder.appendingPathComponent("personal-data-access.log"))
        // The replica is only read: its schema is the primary's, checked, never migrated.
        var replica: PostgresStore?
        if case .postgres(_, let url) = readDatabase { replica = try await PostgresStore(url: url, migrate: false) }
        return (
            try await Platform(
                store: store, media: media, notifier: notices, audit: audit, passwords: passwords, callbacks: callbacks, noticeLease: noticeLease,
                replica: replica),
            store
        )
    }
}

/// A setting with a value that cannot be used.
struct SettingsError: Error, CustomStringConvertible {
    var key: String
    var message: String
    var description: String { "configuration key \(key): \(message)" }
}
