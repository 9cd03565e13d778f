import CityLoopDemo
import CityLoopDomain
@testable import CityLoopHTTP
import Foundation
import Hummingbird
import Testing

/// The multipart reader under random and mutated bodies: it never crashes; it reads the parts of a well-formed body
/// exactly, and refuses what it cannot read as invalid input naming the body or the Content-Type.
@Suite struct MultipartFormFuzzTests {
    static let boundary = "----cityloop-boundary"
    static let valid = Data(
        ("--\(boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{\"a\": 1}\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"snapshot\"; filename=\"f.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--\(boundary)--\r\n").utf8)

    static func read(_ bytes: [UInt8], contentType: String = "multipart/form-data; boundary=\(boundary)") {
        do {
            let form = try MultipartForm(ByteBuffer(bytes: bytes), contentType: contentType)
            #expect(form.parts.count <= bytes.count)
        } catch let e as DomainError {
            #expect(e.kind == .invalidInput && ["body", "Content-Type"].contains(e.field ?? ""), "\(e)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aWellFormedBodyIsReadExactly() throws {
        let form = try MultipartForm(ByteBuffer(bytes: Self.valid), contentType: "multipart/form-data; boundary=\"\(Self.boundary)\"")
        #expect(form.parts.map(\.name) == ["metadata", "snapshot"])
        #expect(form.part("snapshot")?.filename == "f.png" && form.part("snapshot")?.contentType == "image/png")
        #expect(String(buffer: try #require(form.part("snapshot")?.body)) == "PNGDATA")
        #expect(throws: DomainError.self) { try MultipartForm(ByteBuffer(bytes: Self.valid), contentType: "multipart/form-data") }
    }

    @Test func randomAndMutatedBodiesNeverCrashTheReader() {
        var rng = DemoRandom(seed: 2026, stream: 17)
        for _ in 0..<3000 {
            Self.read((0..<Int(rng.next() % 400)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        let odd: [UInt8] = Array("-\r\n\";=: ".utf8) + [0, 0xFF]
        let valid = [UInt8](Self.valid)
        for _ in 0..<10_000 {
            var bytes = valid
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = odd[Int(rng.next() % UInt64(odd.count))]
                case 1: bytes.insert(odd[Int(rng.next() % UInt64(odd.count))], at: at)
                default: bytes.remove(at: at)
                }
            }
            Self.read(bytes)
        }
    }
}

extension MultipartFormFuzzTests {
    /// A byte above 127 where a header name is expected stopped the whole server while multipart bodies were read with
    /// MultipartKit 4.7.1 (an index out of its table): an anonymous Open311 post could take the city down.
    @Test func aNonASCIIHeaderNameIsRefusedAndTheServerGoesOn() async throws {
        try await TestCity.serve { api in
            var body = Data("--\(Self.boundary)\r\n".utf8) + Data([0xFF, 0xFE]) + Data(": x\r\n\r\nvalue\r\n--\(Self.boundary)--\r\n".utf8)
            var h = HTTPFields()
            h[.contentType] = "multipart/form-data; boundary=\(Self.boundary)"
            let open311 = try await api.send(.post, "/open311/v2/requests.json", raw: body, headers: h)
            #expect(open311.status.code >= 400 && open311.status.code < 500, "\(open311)")
            body = Data("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\n".utf8) + Data([0x80]) + Data("\r\n\r\n{}\r\n--\(Self.boundary)--\r\n".utf8)
            let detections = try await api.send(.post, "/api/v1/detections", as: "partner", raw: body, headers: h)
            #expect(detections.status == .unprocessableContent && detections.errorField == "body", "\(detections)")
            #expect(try await api.get("/api/v1/cases?limit=1", as: "operator").status == .ok)
        }
    }
}
