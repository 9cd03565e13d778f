import CityLoopDomain
import Foundation
import Hummingbird

/// JSON in and out of the API: ISO 8601 dates, sorted keys, and decoding errors that name the field.
enum APIJSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        // ISO 8601 with or without fractional seconds; a bad date names its field (the built-in strategy's error
        // carries no coding path on Linux).
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let date = (try? Date.ISO8601FormatStyle().parse(text)) ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            else {
                let path = APIJSON.path(decoder.codingPath)
                throw DomainError.invalid(
                    path, "field '\(path)' must be an ISO 8601 date-time such as 2026-11-30T18:00:00+08:00, not '\(text.prefix(40))'",
                    code: "body.invalid_date")
            }
            return date
        }
        return d
    }()

    /// A 200 (or other status) JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON response written by the value itself (same text as `encoder` would write; see `JSONTextWritable`).
    static func response(_ value: some JSONTextWritable & Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONText.data(value, dates: .iso8601))))
    }

    /// Collects and decodes a JSON body; a non-JSON Content-Type is a 415, malformed JSON, control characters in
    /// text and missing or mistyped fields a 422 naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext, limit: Int = 4 * 1024 * 1024) async throws -> T {
        try requireJSON(request)
        return try decode(T.self, buffer: try await collect(request, limit: limit))
    }

    /// Refuses a body declared as anything but JSON (`application/json` or a `+json` type) with a 415. A request
    /// without Content-Type is read as JSON, so `curl -d` keeps working.
    static func requireJSON(_ request: Request) throws {
        guard let type = request.headers[.contentType] else { return }
        let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard media != "application/json", !media.hasSuffix("+json") else { return }
        throw DomainError(
            .unsupportedMedia, code: "body.content_type", "send the body as application/json, not \(type.prefix(80))", field: "Content-Type")
    }

    /// Decodes a collected JSON body.
    static func decode<T: Decodable>(_ type: T.Type, buffer: ByteBuffer) throws -> T {
        guard buffer.readableBytes > 0 else { throw DomainError.invalid("body", "the request body is empty; send JSON", code: "body.empty") }
        // Control characters and lone surrogate escapes are found on the raw text (see `TextRules.checkJSON`).
        try buffer.withUnsafeReadableBytes { try TextRules.checkJSON($0) }
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.keyNotFound(key, ctx) {
            let p = path(ctx.codingPath + [key])
            throw DomainError.invalid(p, "missing field '\(p)'", code: "body.missing_field")
        } catch let DecodingError.typeMismatch(expected, ctx) {
            let p = path(ctx.codingPath)
            throw DomainError.invalid(p, "field '\(p)' must be \(typeName(expected))", code: "body.wrong_type")
        } catch let DecodingError.valueNotFound(expected, ctx) {
            let p = path(ctx.codingPath)
            throw DomainError.invalid(p, "field '\(p)' must be \(typeName(expected)), not null", code: "body.wrong_type")
        } catch let DecodingError.dataCorrupted(ctx) {
            let p = path(ctx.codingPath)
            if p == "body" { throw DomainError.invalid("body", "the body is not valid JSON", code: "body.malformed_json") }
            // A value's own check (a daily window's hours) keeps its message and code, named by where it stands.
            if let own = ctx.underlyingError as? DomainError { throw DomainError.invalid(p, "\(p): \(own.message)", code: own.code) }
            throw DomainError.invalid(p, "field '\(p)' has a value that is not allowed here", code: "body.invalid_value")
        }
    }

    /// A coding path as the API names fields: `items[2].comment`; `body` for the whole document.
    static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for k in keys {
            if let i = k.intValue, k.stringValue.hasPrefix("Index ") || k.stringValue == String(i) {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? k.stringValue : "." + k.stringValue
            }
        }
        if out.hasPrefix("[") { out = "body" + out }
        return out.isEmpty ? "body" : out
    }

    /// The expected type in words a client developer reads (never Swift's own type names).
    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Date.Type: "an ISO 8601 date-time string"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : String(describing: type).hasPrefix("Dictionary") ? "an object" : "an object of the documented shape"
        }
    }

    /// Collects a body, refusing one larger than `limit` with a 413.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw DomainError(.tooLarge, code: "body.too_large", "the request body is larger than \(limit) bytes", field: "body")
        }
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self = buffer.withUnsafeReadableBytes { Data($0) }
    }
}
