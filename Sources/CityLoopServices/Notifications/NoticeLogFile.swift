import CityLoopDomain
import Foundation

/// Appends every notice as one JSON line to a file (`notices.log` in the data folder): the delivery record
/// and the adapter for cities without an SMS gateway or webhook yet.
public actor NoticeLogFile: ReporterNotifier {
    /// The log file.
    public let url: URL
    private let encoder: JSONEncoder

    /// Creates the log, with its folder when missing; the file is created on the first notice.
    public init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder = e
    }

    /// Appends the notices.
    public func deliver(_ notices: [ReporterNotice]) async throws {
        guard !notices.isEmpty else { return }
        var text = Data()
        for n in notices {
            text += try encoder.encode(n)
            text += Data("\n".utf8)
        }
        if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: text)
    }

    /// Every notice logged so far.
    public func notices() throws -> [ReporterNotice] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(ReporterNotice.self, from: Data($0)) }
    }
}
