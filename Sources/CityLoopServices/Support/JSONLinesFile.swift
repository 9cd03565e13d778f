import Foundation

/// An append-only file of JSON values, one per line (the notice log, the personal-data access log).
public actor JSONLinesFile {
    /// The file.
    public let url: URL
    private let encoder: JSONEncoder
    private let decoder: JSONDecoder

    /// Creates the log, with its folder when missing; the file is created on the first append.
    public init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
    }

    /// Appends the values, one line each.
    public func append<T: Encodable>(_ values: [T]) throws {
        guard !values.isEmpty else { return }
        var text = Data()
        for v in values {
            text += try encoder.encode(v)
            text += Data("\n".utf8)
        }
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: text)
    }

    /// Every value written so far.
    public func read<T: Decodable>(_ type: T.Type) throws -> [T] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(T.self, from: Data($0)) }
    }
}
