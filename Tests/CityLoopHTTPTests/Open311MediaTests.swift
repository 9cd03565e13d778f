import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// A report photo staff mark public is served at a stable URL without its metadata and shown as `media_url`;
/// every other photo stays private.
@Suite struct Open311MediaTests {
    static let base = Open311APITests.base
    static let secret = "CityLoop-secret-place-31.2304N"

    /// A real JPEG (made by ImageMagick) carrying an EXIF segment and a comment that both name a secret place.
    static func photoWithMetadata() throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/convert")
        p.arguments = ["-size", "64x48", "xc:orange", "jpeg:-"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let jpeg = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0 && jpeg.starts(with: [0xFF, 0xD8]))
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        }
        // EXIF: a big-endian TIFF header and an IFD0 with one ASCII ImageDescription (0x010E) entry.
        let text = Array(secret.utf8) + [0]
        var tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x0E, 0, 2]
        tiff += [0, 0, 0, UInt8(text.count), 0, 0, 0, 26, 0, 0, 0, 0] + text
        let exif = segment(0xE1, Array("Exif".utf8) + [0, 0] + tiff)
        let comment = segment(0xFE, Array(secret.utf8))
        return Data([0xFF, 0xD8] + exif + comment) + jpeg.dropFirst(2)
    }

    @Test func aPhotoMarkedPublicIsServedWithoutMetadataAndOthersStayPrivate() async throws {
        try await TestCity.serve { api in
            let key = try await Open311APITests.key(api)
            let photo = try Self.photoWithMetadata()
            #expect(String(decoding: photo, as: UTF8.self).contains(Self.secret))
            let r = try await Open311APITests.multipart(api, "/requests.json", Open311APITests.fields(api, ["api_key": key]), media: photo)
            #expect(r.status == .created, "\(r)")
            let number = try #require(r.string("0.service_request_id"))
            let detail = try await api.get("/api/v1/cases/\(number)", as: "operator")
            let caseID = try #require(detail.string("case.id"))
            let media = try #require(detail.array("case.evidence").first as? String)

            // Private until staff say otherwise.
            let before = try await api.get(Self.base + "/requests/\(number).json")
            #expect(before.objects("").first?["media_url"] is NSNull)
            let byHash = try await api.get(Self.base + "/media/\(media).jpg")
            #expect(byHash.status == .notFound)
            #expect(byHash.int("0.code") == 404)

            let path = "/api/v1/cases/\(caseID)/media/\(media)/public"
            for role in ["citizen", "inspector", "handler"] {
                #expect(try await api.send(.post, path, as: role).status == .forbidden, "\(role)")
            }
            #expect(try await api.get(path, as: "operator")["isPublic"] as? Bool == false)
            #expect(try await api.get(path, as: "citizen").status == .forbidden)
            let marked = try await api.send(.post, path, as: "operator")
            #expect(marked.status == .ok, "\(marked)")
            #expect(marked["isPublic"] as? Bool == true)
            let url = try #require(marked.string("url"))
            #expect(url.contains(Self.base + "/media/") && url.hasSuffix(".jpg") && !url.contains(media))
            // Marking again keeps the URL stable; the case number works as well as the ID.
            #expect(try await api.send(.post, "/api/v1/cases/\(number)/media/\(media)/public", as: "shiftlead").string("url") == url)

            #expect(try await api.get(Self.base + "/requests/\(number).json").string("0.media_url") == url)
            #expect(try await api.get(path, as: "shiftlead").string("url") == url)
            let xml = try XMLTree.parse(try await api.get(Self.base + "/requests/\(number).xml"))
            #expect(xml.child("request")?.child("media_url")?.text == url)

            let publicPath = try #require(url.range(of: Self.base).map { String(url[$0.lowerBound...]) })
            let served = try await api.get(publicPath)
            #expect(served.status == .ok, "\(served)")
            #expect(served.headers[.contentType] == "image/jpeg")
            #expect(served.data.starts(with: [0xFF, 0xD8]))
            let bytes = String(decoding: served.data, as: UTF8.self)
            #expect(!bytes.contains(Self.secret) && !bytes.contains("Exif"))
            // Staff still have the original.
            #expect(try await api.get("/api/v1/cases/\(caseID)/media/\(media)", as: "operator").data == photo)

            // A photo that is not the report's cannot be marked; a made-up public ID is 404.
            let other = String(repeating: "ab", count: 32)
            #expect(try await api.send(.post, "/api/v1/cases/\(caseID)/media/\(other)/public", as: "operator").status == .notFound)
            #expect(try await api.get(Self.base + "/media/\(String(repeating: "0", count: 32)).jpg").status == .notFound)

            // Private again: the URL answers 404 and media_url is empty.
            let unmarked = try await api.send(.delete, path, as: "shiftlead")
            #expect(unmarked.status == .ok, "\(unmarked)")
            #expect(unmarked["isPublic"] as? Bool == false)
            #expect(try await api.get(publicPath).status == .notFound)
            #expect(try await api.get(Self.base + "/requests/\(number).json").objects("").first?["media_url"] is NSNull)
        }
    }
}
