import CityLoopDomain
import Foundation

/// Evidence files on disk, content-addressed: `<root>/ab/cdef...` named by SHA-256, with a `.type` sidecar.
public struct FileMediaStore: MediaStore {
    /// The folder holding the files.
    public let root: URL

    /// Creates the store, creating its folder.
    public init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    private func path(_ id: String) -> URL {
        root.appendingPathComponent(String(id.prefix(2))).appendingPathComponent(id)
    }

    /// Stores the bytes (written to a temporary file, synced, then renamed, so a crash leaves no half file).
    public func put(_ data: Data, contentType: String) async throws -> MediaInfo {
        let id = SHA256Hasher.hex(data)
        let info = MediaInfo(id: id, contentType: contentType, size: data.count)
        let target = path(id)
        if FileManager.default.fileExists(atPath: target.path) { return info }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contentType.utf8).write(to: target.appendingPathExtension("type"), options: .atomic)
        try data.write(to: target, options: .atomic)
        return info
    }

    /// The bytes and info of a stored file.
    public func get(_ id: String) async throws -> (Data, MediaInfo)? {
        guard Self.isValidID(id), let data = FileManager.default.contents(atPath: path(id).path) else { return nil }
        let type = (try? String(contentsOf: path(id).appendingPathExtension("type"), encoding: .utf8)) ?? "application/octet-stream"
        return (data, MediaInfo(id: id, contentType: type, size: data.count))
    }

    /// Whether the file exists.
    public func exists(_ id: String) async throws -> Bool {
        Self.isValidID(id) && FileManager.default.fileExists(atPath: path(id).path)
    }

    /// Whether `id` looks like a hex SHA-256 (so it can never name a path outside the store).
    public static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 64 && id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}

/// Evidence files in memory, for tests.
public actor InMemoryMediaStore: MediaStore {
    private var files: [String: (Data, MediaInfo)] = [:]
    /// Creates an empty store.
    public init() {}
    /// Stores bytes.
    public func put(_ data: Data, contentType: String) async throws -> MediaInfo {
        let info = MediaInfo(id: SHA256Hasher.hex(data), contentType: contentType, size: data.count)
        files[info.id] = (data, info)
        return info
    }
    /// The bytes and info.
    public func get(_ id: String) async throws -> (Data, MediaInfo)? { files[id] }
    /// Whether stored.
    public func exists(_ id: String) async throws -> Bool { files[id] != nil }
}
