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
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not an ISO 8601 date-time such as 2026-11-30T18:00:00+08:00")
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

    /// Collects and decodes a JSON body; malformed JSON and missing or mistyped fields become a 422 naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext, limit: Int = 4 * 1024 * 1024) async throws -> T {
        try decode(T.self, buffer: try await collect(request, limit: limit))
    }

    /// Decodes a collected JSON body.
    static func decode<T: Decodable>(_ type: T.Type, buffer: ByteBuffer) throws -> T {
        guard buffer.readableBytes > 0 else { throw DomainError.invalid("body", "the request body is empty; send JSON", code: "body.empty") }
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.keyNotFound(key, ctx) {
            let path = (ctx.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw DomainError.invalid(path, "missing field '\(path)'", code: "body.missing_field")
        } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx) {
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw DomainError.invalid(path.isEmpty ? "body" : path, "field '\(path)' has the wrong type: \(ctx.debugDescription)", code: "body.wrong_type")
        } catch let DecodingError.dataCorrupted(ctx) {
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            if path.isEmpty { throw DomainError.invalid("body", "the body is not valid JSON", code: "body.malformed_json") }
            throw DomainError.invalid(path, "field '\(path)' is invalid: \(ctx.debugDescription)", code: "body.invalid_value")
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
