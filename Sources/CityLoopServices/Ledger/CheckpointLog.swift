import CityLoopDomain
import Foundation

/// The append-only checkpoint log: one signed `LedgerCheckpoint` as JSON per line.
public struct CheckpointLog: Sendable {
    /// The log file.
    public let path: String

    /// A log at `path` (created on the first append).
    public init(path: String) { self.path = path }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .millisecondsSince1970
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Appends a checkpoint as one line (opened for appending only, so earlier lines are never rewritten).
    public func append(_ c: LedgerCheckpoint) throws {
        let line = try Self.encoder.encode(c) + Data("\n".utf8)
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) else {
                throw DomainError(.invalidInput, code: "ledger.checkpoints", "cannot create the checkpoint log \(path)")
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }

    /// Every checkpoint in the log, with the problems of lines that are not checkpoints; none when the file is absent.
    public func read() throws -> (checkpoints: [LedgerCheckpoint], problems: [String]) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], []) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        var out: [LedgerCheckpoint] = []
        var problems: [String] = []
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            do {
                out.append(try decoder.decode(LedgerCheckpoint.self, from: Data(line.utf8)))
            } catch {
                problems.append("checkpoints: line \(i + 1) of \(path) is not a checkpoint")
            }
        }
        return (out, problems)
    }
}
