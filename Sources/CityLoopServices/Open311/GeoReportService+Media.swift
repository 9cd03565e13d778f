import CityLoopDomain
import Foundation

/// A report photo's public state: the answer to marking it public or private.
public struct PublicPhoto: Codable, Sendable {
    /// The case number.
    public var caseNumber: String
    /// The evidence file's content ID.
    public var media: String
    /// Whether the photo is public.
    public var isPublic: Bool
    /// Where the public copy is served (`…/open311/v2/media/{public id}.jpg`) while it is public.
    public var url: String?
}

extension GeoReportService {
    /// The roles that may make a report photo public (or private again).
    public static let photoPublishers: Set<Role> = [.operator, .shiftLead]

    /// Makes a photo of a case's report public — a copy without metadata at a stable opaque URL, shown as the
    /// Open311 `media_url` — or private again. `caseRef` is the case ID or number; `baseURL` the Open311 base URL.
    public func setPhotoPublic(_ isPublic: Bool, media: String, caseRef: String, actor: Actor, baseURL: String) async throws -> PublicPhoto {
        let c = try await reportPhotoCase(media: media, caseRef: caseRef, actor: actor)
        guard isPublic else {
            try await platform.media.unpublish(media)
            return PublicPhoto(caseNumber: c.number, media: media, isPublic: false, url: nil)
        }
        guard let publicID = try await platform.media.publish(media) else {
            throw DomainError(
                .unsupportedMedia, code: "media.not_publishable",
                "'\(media)' cannot be made public: only an image re-encoded without its metadata is (is ImageMagick installed?)", field: "media")
        }
        return PublicPhoto(caseNumber: c.number, media: media, isPublic: true, url: Self.mediaURL(publicID, baseURL: baseURL))
    }

    /// Whether a report photo is public, and where.
    public func photoPublicState(media: String, caseRef: String, actor: Actor, baseURL: String) async throws -> PublicPhoto {
        let c = try await reportPhotoCase(media: media, caseRef: caseRef, actor: actor)
        let publicID = try await platform.media.publicID(of: media)
        return PublicPhoto(caseNumber: c.number, media: media, isPublic: publicID != nil, url: publicID.map { Self.mediaURL($0, baseURL: baseURL) })
    }

    /// The case (by ID or number) whose report has the photo `media`, for a role that publishes photos.
    private func reportPhotoCase(media: String, caseRef: String, actor: Actor) async throws -> CaseRecord {
        guard Self.photoPublishers.contains(actor.role) else {
            throw DomainError.forbidden("only an operator or a shift lead makes a report photo public")
        }
        let store = platform.store
        var found = try await store.caseRecord(id: CaseID(caseRef))
        if found == nil { found = try await store.caseRecord(number: caseRef) }
        guard let c = found else { throw DomainError.notFound("case", caseRef) }
        // Only the reporter's photos: Open311's media_url is the request's own picture.
        guard c.evidence.contains(media) else {
            throw DomainError(.notFound, code: "media.not_attached", "'\(media)' is not a photo of the report of case \(c.number)", field: "media")
        }
        return c
    }

    /// The public copy behind `file` (`{public id}.jpg`); `notFound` for anything not public.
    public func publicPhoto(_ file: String) async throws -> Data {
        let id = file.hasSuffix(".jpg") ? String(file.dropLast(4)) : file
        guard let data = try await platform.media.publicImage(id) else {
            throw DomainError(.notFound, code: "open311.media", "no public photo '\(file)'", field: "media")
        }
        return data
    }

    /// The URL of the first public photo of a case's report, if any.
    func mediaURL(of c: CaseRecord, baseURL: String) async throws -> String? {
        for media in c.evidence {
            if let publicID = try await platform.media.publicID(of: media) { return Self.mediaURL(publicID, baseURL: baseURL) }
        }
        return nil
    }

    static func mediaURL(_ publicID: String, baseURL: String) -> String { "\(baseURL)/media/\(publicID).jpg" }
}
