import CityLoopDomain
import Foundation
import Hummingbird
import MultipartKit

/// A `multipart/form-data` body read into its parts (MultipartKit's parser): each part's field name, file name and
/// media type, and its bytes.
struct MultipartForm {
    /// One part.
    struct Part {
        /// The `name` of its Content-Disposition.
        var name: String?
        /// The `filename` of its Content-Disposition, for a file part.
        var filename: String?
        /// Its Content-Type.
        var contentType: String?
        /// Its bytes.
        var body: ByteBuffer
    }

    /// The parts in body order.
    var parts: [Part]

    /// The first part named `name`.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// Reads a collected body whose Content-Type is `contentType`; a missing boundary or a malformed body is a 422
    /// naming `Content-Type` or `body`.
    init(_ buffer: ByteBuffer, contentType: String) throws {
        guard let boundary = Self.parameter("boundary", in: contentType) else {
            throw DomainError.invalid("Content-Type", "a multipart body needs a boundary parameter")
        }
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var headers: [String: String] = [:]
        var body = ByteBuffer()
        parser.onHeader = { k, v in headers[k.lowercased()] = v }
        parser.onBody = { chunk in body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            parts.append(
                Part(
                    name: Self.parameter("name", in: disposition), filename: Self.parameter("filename", in: disposition),
                    contentType: headers["content-type"], body: body))
            headers = [:]
            body = ByteBuffer()
        }
        do {
            try parser.execute(buffer)
        } catch {
            throw DomainError.invalid("body", "the multipart body is malformed: \(error)")
        }
        self.parts = parts
    }

    /// Whether a Content-Type names a multipart form.
    static func isMultipart(_ contentType: String) -> Bool { contentType.lowercased().hasPrefix("multipart/form-data") }

    /// A parameter of a header value (`boundary` of a Content-Type, `name` of a Content-Disposition), unquoted.
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == name { return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }
}
