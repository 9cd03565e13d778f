import CityLoopDomain
import Foundation

/// Evidence files on disk, content-addressed: `<root>/ab/cdef...` named by SHA-256, with a `.json` sidecar holding
/// its `MediaInfo` (older files have a `.type` sidecar with the media type only) and a `.thumb.jpg` once a preview
/// was asked for.
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

    /// Stores the bytes (written to a temporary file, then renamed, so a crash leaves no half file).
    public func put(_ data: Data, contentType: String) async throws -> MediaInfo {
        let id = SHA256Hasher.hex(data)
        let info = MediaInfo(id: id, contentType: contentType, size: data.count, facts: ImageFacts.read(data))
        let target = path(id)
        if FileManager.default.fileExists(atPath: target.path) { return info }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ISOJSON.encoder.encode(info).write(to: target.appendingPathExtension("json"), options: .atomic)
        try data.write(to: target, options: .atomic)
        return info
    }

    /// A preview of an image, made once and kept beside it.
    public func thumbnail(_ id: String) async throws -> Data? {
        guard Self.isValidID(id) else { return nil }
        let thumb = path(id).appendingPathExtension("thumb.jpg")
        if let kept = FileManager.default.contents(atPath: thumb.path) { return kept }
        guard let (data, info) = try await get(id), info.contentType.hasPrefix("image/"), let made = Thumbnailer.jpeg(from: data) else {
            return nil
        }
        try made.write(to: thumb, options: .atomic)
        return made
    }

    /// The bytes and info of a stored file.
    public func get(_ id: String) async throws -> (Data, MediaInfo)? {
        guard Self.isValidID(id), let data = FileManager.default.contents(atPath: path(id).path) else { return nil }
        if let json = FileManager.default.contents(atPath: path(id).appendingPathExtension("json").path),
            let info = try? ISOJSON.decoder.decode(MediaInfo.self, from: json)
        {
            return (data, info)
        }
        let type = (try? String(contentsOf: path(id).appendingPathExtension("type"), encoding: .utf8)) ?? "application/octet-stream"
        return (data, MediaInfo(id: id, contentType: type, size: data.count, facts: ImageFacts.read(data)))
    }

    /// Publishes an image: `<root>/public/<public ID>.jpg`, the ID kept in a `.public` sidecar beside the file.
    public func publish(_ id: String) async throws -> String? {
        if let kept = try await publicID(of: id) { return kept }
        guard let (data, info) = try await get(id), info.contentType.hasPrefix("image/"), let jpeg = Thumbnailer.publicJPEG(from: data) else {
            return nil
        }
        let publicID = PublicMediaID.make()
        try FileManager.default.createDirectory(at: publicFolder, withIntermediateDirectories: true)
        try jpeg.write(to: publicFolder.appendingPathComponent(publicID + ".jpg"), options: .atomic)
        try Data(publicID.utf8).write(to: path(id).appendingPathExtension("public"), options: .atomic)
        return publicID
    }

    /// Removes the public copy and its sidecar.
    public func unpublish(_ id: String) async throws {
        guard let publicID = try await publicID(of: id) else { return }
        try? FileManager.default.removeItem(at: publicFolder.appendingPathComponent(publicID + ".jpg"))
        try? FileManager.default.removeItem(at: path(id).appendingPathExtension("public"))
    }

    /// The public ID from the `.public` sidecar, when its copy is there.
    public func publicID(of id: String) async throws -> String? {
        guard Self.isValidID(id), let raw = FileManager.default.contents(atPath: path(id).appendingPathExtension("public").path) else { return nil }
        let publicID = String(decoding: raw, as: UTF8.self)
        guard PublicMediaID.isValid(publicID), FileManager.default.fileExists(atPath: publicFolder.appendingPathComponent(publicID + ".jpg").path)
        else { return nil }
        return publicID
    }

    /// The public copy.
    public func publicImage(_ publicID: String) async throws -> Data? {
        guard PublicMediaID.isValid(publicID) else { return nil }
        return FileManager.default.contents(atPath: publicFolder.appendingPathComponent(publicID + ".jpg").path)
    }

    private var publicFolder: URL { root.appendingPathComponent("public") }

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
        let info = MediaInfo(id: SHA256Hasher.hex(data), contentType: contentType, size: data.count, facts: ImageFacts.read(data))
        files[info.id] = (data, info)
        return info
    }
    /// A preview of an image.
    public func thumbnail(_ id: String) async throws -> Data? {
        guard let (data, info) = files[id], info.contentType.hasPrefix("image/") else { return nil }
        return Thumbnailer.jpeg(from: data)
    }
    /// The bytes and info.
    public func get(_ id: String) async throws -> (Data, MediaInfo)? { files[id] }
    /// Whether stored.
    public func exists(_ id: String) async throws -> Bool { files[id] != nil }

    private var published: [String: (publicID: String, jpeg: Data)] = [:]
    /// Publishes an image.
    public func publish(_ id: String) async throws -> String? {
        if let kept = published[id] { return kept.publicID }
        guard let (data, info) = files[id], info.contentType.hasPrefix("image/"), let jpeg = Thumbnailer.publicJPEG(from: data) else { return nil }
        let publicID = PublicMediaID.make()
        published[id] = (publicID, jpeg)
        return publicID
    }
    /// Makes an image private again.
    public func unpublish(_ id: String) async throws { published[id] = nil }
    /// The public ID of a published image.
    public func publicID(of id: String) async throws -> String? { published[id]?.publicID }
    /// The public copy.
    public func publicImage(_ publicID: String) async throws -> Data? { published.values.first { $0.publicID == publicID }?.jpeg }
}
