import ArgumentParser
import CityLoopDomain
import CityLoopSQLite
import CityLoopServices
import Foundation

/// Options shared by commands that open the data folder; see `Settings` for the environment and file layers.
struct DataOptions: ParsableArguments {
    @Option(help: "Folder holding the database and media files (env CITYLOOP_DATA; config key data; default ./data).")
    var data: String?

    @Option(help: "Database URL: sqlite:DIR, sqlite:FILE.sqlite or postgres://user@host:5432/cityloop (env CITYLOOP_DATABASE; config key database; default the SQLite file in --data).")
    var database: String?

    @Option(help: "Message language: zh (default) or en (env CITYLOOP_LANG; config key lang).")
    var lang: String?

    @Option(help: "JSON configuration file (env CITYLOOP_CONFIG; default ./cityloop.json when present).")
    var config: String?

    /// The settings from these options, the environment, the configuration file and the defaults.
    func settings(_ more: [String: String?] = [:]) async throws -> Settings {
        try await Settings.load(configFile: config, commandLine: more.merging(["data": data, "database": database, "lang": lang]) { a, _ in a })
    }

    /// Opens the platform in the configured data folder.
    func openPlatform() async throws -> (Platform, any CityStore) { try await settings().openPlatform() }
}

/// Bilingual console messages: Chinese by default, English on request.
struct Messages {
    let english: Bool
    init(lang: String) { english = lang.lowercased().hasPrefix("en") }

    /// Picks the text for the language.
    func t(_ zh: String, _ en: String) -> String { english ? en : zh }
}

/// Writes a progress line that rewrites itself on a terminal.
func progressLine(_ text: String, done: Bool = false) {
    let out = "\r\(text)" + (done ? "\n" : "")
    FileHandle.standardError.write(Data(out.utf8))
}

/// The process's peak resident memory in MiB (Linux VmHWM), or nil elsewhere.
func peakMemoryMiB() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return nil }
    let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
    return kb / 1024
}
