import Foundation

/// A stored evidence file: content-addressed by its SHA-256.
public struct MediaInfo: Hashable, Codable, Sendable {
    /// The content hash (hex SHA-256), which is also its ID.
    public var id: String
    /// The media type, e.g. `image/jpeg`.
    public var contentType: String
    /// Size in bytes.
    public var size: Int
    /// Pixel width and height of an image, when readable.
    public var width: Int?
    /// Pixel height.
    public var height: Int?
    /// When the photo was taken (EXIF), when recorded.
    public var takenAt: Date?
    /// Where the photo was taken (EXIF GPS), when recorded: a hint for placing the report.
    public var location: GeoPoint?

    /// Creates media info.
    public init(id: String, contentType: String, size: Int, facts: ImageFacts = ImageFacts()) {
        self.id = id
        self.contentType = contentType
        self.size = size
        width = facts.width
        height = facts.height
        takenAt = facts.takenAt
        location = facts.location
    }
}

/// Storage of evidence files (photos, short videos).
public protocol MediaStore: Sendable {
    /// Stores bytes of a validated type and returns their info; storing the same bytes twice stores them once.
    func put(_ data: Data, contentType: String) async throws -> MediaInfo
    /// The bytes and info of a stored file.
    func get(_ id: String) async throws -> (Data, MediaInfo)?
    /// Whether a file with this ID is stored.
    func exists(_ id: String) async throws -> Bool
    /// A small JPEG preview of a stored image (at most `MediaRules.thumbnailSide` pixels a side), made on first
    /// request and kept; nil when the file is not an image or no preview can be made.
    func thumbnail(_ id: String) async throws -> Data?
    /// Makes an image public: a JPEG copy re-encoded without metadata (EXIF, GPS, comments) under a stable,
    /// opaque public ID (the same one when it is public already); nil when the file is not an image or cannot be
    /// re-encoded without its metadata.
    func publish(_ id: String) async throws -> String?
    /// Makes a public image private again: its public copy is removed.
    func unpublish(_ id: String) async throws
    /// The public ID of a file made public; nil while it is private.
    func publicID(of id: String) async throws -> String?
    /// The metadata-free JPEG published under a public ID; nil for an ID that is not (or no longer) public.
    func publicImage(_ publicID: String) async throws -> Data?
}

/// The opaque IDs of public images: 32 lowercase hex digits, unrelated to the file's content hash.
public enum PublicMediaID {
    /// A new random public ID.
    public static func make() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    /// Whether `id` has the form of a public ID (so it can never name a path outside the store).
    public static func isValid(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}

/// Which uploads are accepted: recognised by their first bytes, not by what the client claims.
public enum MediaRules {
    /// The largest accepted upload, in bytes (10 MiB by default).
    public static let defaultMaxBytes = 10 * 1024 * 1024
    /// The longest side of a thumbnail, in pixels.
    public static let thumbnailSide = 320

    /// The media type recognised from the file's magic bytes, or nil when it is not an accepted type.
    public static func sniff(_ data: Data) -> String? {
        let b = [UInt8](data.prefix(16))
        func starts(_ p: [UInt8], at o: Int = 0) -> Bool { b.count >= o + p.count && Array(b[o..<o + p.count]) == p }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("GIF8".utf8)) { return "image/gif" }
        if starts(Array("ftyp".utf8), at: 4) { return "video/mp4" }
        return nil
    }

    /// Validates an upload: not empty, not too large, of an accepted type.
    public static func validate(_ data: Data, maxBytes: Int = defaultMaxBytes) throws -> String {
        guard !data.isEmpty else { throw DomainError.invalid("file", "the upload is empty") }
        guard data.count <= maxBytes else {
            throw DomainError(.tooLarge, code: "media.too_large", "the upload has \(data.count) bytes; the limit is \(maxBytes)", field: "file")
        }
        guard let type = sniff(data) else {
            throw DomainError(
                .unsupportedMedia, code: "media.unsupported_type",
                "the upload is not a JPEG, PNG, WebP or GIF image or an MP4 video", field: "file")
        }
        return type
    }
}
