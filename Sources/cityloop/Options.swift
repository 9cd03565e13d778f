import ArgumentParser
import CityLoopDomain
import CityLoopSQLite
import CityLoopServices
import Foundation

/// Options shared by commands that open the data folder.
struct DataOptions: ParsableArguments {
    @Option(help: "Folder holding the database and media files (env CITYLOOP_DATA; default ./data).")
    var data: String?

    @Option(help: "Message language: zh (default) or en (env CITYLOOP_LANG).")
    var lang: String?

    /// The data folder: command line, then environment, then default.
    var dataFolder: URL {
        URL(fileURLWithPath: data ?? ProcessInfo.processInfo.environment["CITYLOOP_DATA"] ?? "data", isDirectory: true)
    }

    /// The message table for the chosen language.
    var messages: Messages { Messages(lang: lang ?? ProcessInfo.processInfo.environment["CITYLOOP_LANG"] ?? "zh") }

    /// Opens (creating and migrating) the database and media store, and the platform over them.
    func openPlatform(passwords: Passwords = Passwords()) async throws -> (Platform, SQLiteStore) {
        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dataFolder.appendingPathComponent("cityloop.sqlite").path)
        let media = try FileMediaStore(root: dataFolder.appendingPathComponent("media", isDirectory: true))
        return (try await Platform(store: store, media: media, passwords: passwords), store)
    }
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
