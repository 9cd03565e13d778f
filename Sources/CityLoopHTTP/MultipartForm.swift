import CityLoopDomain
import Foundation
import Hummingbird

/// A `multipart/form-data` body read into its parts: each part's field name, file name and media type, and its bytes.
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

    /// The most parts a form may have.
    static let maxParts = 64
    /// The most header lines a part may have.
    static let maxHeaderLines = 16

    /// Reads a collected body whose Content-Type is `contentType` (RFC 7578: parts between `--boundary` lines, each
    /// with its header lines, an empty line and its bytes); a missing or overlong boundary, or a body that is not such
    /// a form, is a 422 naming `Content-Type` or `body`. Read here rather than with MultipartKit, whose parser (4.7.1)
    /// stops the process on a byte above 127 where a header name is expected.
    init(_ buffer: ByteBuffer, contentType: String) throws {
        guard let boundary = Self.parameter("boundary", in: contentType), (1...70).contains(boundary.utf8.count) else {
            throw DomainError.invalid("Content-Type", "a multipart body needs a boundary parameter of 1–70 characters")
        }
        let bytes = [UInt8](buffer.readableBytesView)
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        func malformed(_ why: String) -> DomainError { DomainError.invalid("body", "the multipart body is malformed: \(why)") }
        // The first delimiter: at the start, or after the preamble's line break.
        var at: Int
        if Self.hasPrefix(bytes, delimiter, at: 0) {
            at = delimiter.count
        } else if let i = Self.find(crlf + delimiter, in: bytes, from: 0) {
            at = i + 2 + delimiter.count
        } else {
            throw malformed("no --\(boundary) line")
        }
        var parts: [Part] = []
        while true {
            if Self.hasPrefix(bytes, [45, 45], at: at) { break }  // "--": the closing delimiter
            while at < bytes.count, bytes[at] == 32 || bytes[at] == 9 { at += 1 }  // transport padding
            guard Self.hasPrefix(bytes, crlf, at: at) else { throw malformed("a delimiter line does not end in CRLF") }
            at += 2
            guard parts.count < Self.maxParts else { throw malformed("more than \(Self.maxParts) parts") }
            // Header lines up to the empty line: a handful of them, not a megabyte of lines.
            var headers: [String: String] = [:]
            var lines = 0
            while !Self.hasPrefix(bytes, crlf, at: at) {
                lines += 1
                guard lines <= Self.maxHeaderLines else { throw malformed("a part has more than \(Self.maxHeaderLines) header lines") }
                guard let end = Self.find(crlf, in: bytes, from: at) else { throw malformed("a part's headers do not end") }
                let line = bytes[at..<end]
                guard let colon = line.firstIndex(of: 58), colon > at,
                    line[at..<colon].allSatisfy({ $0 > 32 && $0 < 127 && !Self.separators.contains($0) })
                else { throw malformed("a header line is not 'Name: value'") }
                let name = String(decoding: line[at..<colon], as: UTF8.self).lowercased()
                headers[name] = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                at = end + 2
            }
            at += 2
            guard let end = Self.find(crlf + delimiter, in: bytes, from: at) else { throw malformed("a part does not end with --\(boundary)") }
            let disposition = headers["content-disposition"] ?? ""
            parts.append(
                Part(
                    name: Self.parameter("name", in: disposition), filename: Self.parameter("filename", in: disposition),
                    contentType: headers["content-type"], body: ByteBuffer(bytes: bytes[at..<end])))
            at = end + 2 + delimiter.count
        }
        self.parts = parts
    }

    /// The characters a header name may not hold besides controls and space (RFC 9110's separators).
    private static let separators = Set("()<>@,;:\\\"/[]?={}".utf8)

    private static func hasPrefix(_ bytes: [UInt8], _ prefix: [UInt8], at i: Int) -> Bool {
        i >= 0 && i + prefix.count <= bytes.count && bytes[i..<(i + prefix.count)].elementsEqual(prefix)
    }

    /// The first index at or after `from` where `needle` begins.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var i = max(0, from)
        while i + needle.count <= bytes.count {
            guard let next = bytes[i...(bytes.count - needle.count)].firstIndex(of: first) else { return nil }
            if hasPrefix(bytes, needle, at: next) { return next }
            i = next + 1
        }
        return nil
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
