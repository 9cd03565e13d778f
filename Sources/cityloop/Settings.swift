import CityLoopDomain
import CityLoopSQLite
import CityLoopServices
import Configuration
import Foundation
import Logging
import SystemPackage

/// The typed configuration of the `cityloop` commands (swift-configuration), read from the command line, then the
/// environment (`CITYLOOP_` + the key in capitals, dots as underscores), then a JSON file, then defaults.
///
/// Keys (JSON file form in brackets):
/// - `data` — folder holding the database and media files; default `./data` (`{"data": "/srv/cityloop"}`)
/// - `lang` — console language, `zh` (default) or `en`
/// - `host`, `port` — where `serve` listens; defaults `127.0.0.1` and `8080`
/// - `log.level` — `trace` … `critical`; default `info` (`{"log": {"level": "debug"}}`)
/// - `demo.password` — the demo accounts' password for `serve --demo` (a secret: never printed)
/// - `notify.webhook` — an http(s) URL that receives reporters' notices as JSON; without it they go to
///   `notices.log` in the data folder
///
/// The file is named by `--config` or `CITYLOOP_CONFIG`; when neither is given, `cityloop.json` in the current
/// folder is read if it exists.
struct Settings: Sendable {
    /// The data folder.
    var dataFolder: URL
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

    /// Reads the settings; `commandLine` holds the options given on the command line (nil when absent).
    static func load(
        configFile: String?, commandLine: [String: String?], environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Settings {
        var given: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in commandLine {
            if let value { given[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = .init(.string(value), isSecret: key == "demo.password") }
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: given),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(["CITYLOOP_DEMO_PASSWORD"]))
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
        return Settings(
            dataFolder: URL(fileURLWithPath: config.string(forKey: "data", default: "data"), isDirectory: true),
            messages: Messages(lang: lang), host: config.string(forKey: "host", default: "127.0.0.1"), port: portNumber,
            logLevel: logLevel, demoPassword: config.string(forKey: "demo.password", isSecret: true), noticeWebhook: webhook)
    }

    /// Opens (creating and migrating) the database and media store, and the platform over them.
    func openPlatform(passwords: Passwords = Passwords()) async throws -> (Platform, SQLiteStore) {
        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dataFolder.appendingPathComponent("cityloop.sqlite").path)
        let media = try FileMediaStore(root: dataFolder.appendingPathComponent("media", isDirectory: true))
        let notices: any ReporterNotifier =
            try noticeWebhook.map { try WebhookNotifier(url: $0) } ?? NoticeLogFile(url: dataFolder.appendingPathComponent("notices.log"))
        let audit = try AccessLogFile(url: dataFolder.appendingPathComponent("personal-data-access.log"))
        return (try await Platform(store: store, media: media, notifier: notices, audit: audit, passwords: passwords), store)
    }
}

/// A setting with a value that cannot be used.
struct SettingsError: Error, CustomStringConvertible {
    var key: String
    var message: String
    var description: String { "configuration key \(key): \(message)" }
}
