import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// Evidence files: what the upload says about itself, thumbnails, and serving only to roles that may see the case.
@Suite struct MediaAPITests {
    /// A real 1200×900 JPEG made by ImageMagick (installed by `scripts/bootstrap`).
    static func bigPhoto() throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/convert")
        p.arguments = ["-size", "1200x900", "gradient:red-blue", "-quality", "85", "jpeg:-"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }

    @Test func evidenceIsServedWithThumbnailsOnlyToRolesThatSeeTheCase() async throws {
        try await TestCity.serve { api in
            var h = HTTPFields()
            h[.contentType] = "image/jpeg"
            let photo = try Self.bigPhoto()
            #expect(ImageFacts.read(photo).width == 1200)
            let upload = try await api.send(.post, "/api/v1/media", as: "citizen", raw: photo, headers: h)
            #expect(upload.status == .created, "\(upload)")
            let mediaID = try #require(upload.string("id"))
            #expect(upload.int("width") == 1200 && upload.int("height") == 900, "\(upload)")
            let png = try await api.send(.post, "/api/v1/media", as: "citizen", raw: Open311APITests.photo, headers: h)
            #expect(png.string("contentType") == "image/png")
            #expect(png.int("width") == 16 && png.int("height") == 12)

            let caseID = try await api.newCase(as: "citizen", garbageReport(at: api.city.point, ["evidence": [mediaID]]))
            let own = try await api.get("/api/v1/cases/\(caseID)/media/\(mediaID)", as: "citizen")
            #expect(own.status == .ok)
            #expect(own.data == photo)
            #expect(own.headers[.contentType] == "image/jpeg")
            let thumb = try await api.get("/api/v1/cases/\(caseID)/media/\(mediaID)?thumbnail=true", as: "citizen")
            #expect(thumb.status == .ok)
            let facts = ImageFacts.read(thumb.data)
            #expect(facts.width == 320 && facts.height == 240, "\(facts)")
            #expect(thumb.data.count < photo.count / 4)
            // Made once, then kept.
            #expect(try await api.get("/api/v1/cases/\(caseID)/media/\(mediaID)?thumbnail=true", as: "operator").data == thumb.data)

            // Staff who see every case may fetch by ID; the citizen, and a handler whose department has not got the
            // case, may not.
            #expect(try await api.get("/api/v1/media/\(mediaID)", as: "operator").status == .ok)
            #expect(try await api.get("/api/v1/media/\(mediaID)", as: "citizen").status == .forbidden)
            #expect(try await api.get("/api/v1/cases/\(caseID)/media/\(mediaID)", as: "handler").status == .forbidden)
            #expect(try await api.get("/api/v1/cases/\(caseID)/media/\(mediaID)", as: "inspector").status == .ok)
            // A file that is not this case's evidence is not served through it.
            let pngID = try #require(png.string("id"))
            let other = try await api.get("/api/v1/cases/\(caseID)/media/\(pngID)", as: "citizen")
            #expect(other.status == .notFound)
            #expect(other.errorField == "media")
            let bad = try await api.get("/api/v1/cases/\(caseID)/media/\(mediaID)?thumbnail=maybe", as: "citizen")
            #expect(bad.status == .unprocessableContent && bad.errorField == "thumbnail")
        }
    }
}
