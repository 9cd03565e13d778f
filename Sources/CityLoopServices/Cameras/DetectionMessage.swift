import CityLoopDomain
import Foundation

/// A detection as a camera or video platform sends it: the metadata (`DetectionInput`'s fields), the camera's own
/// event ID `id`, and over MQTT the snapshot inline as base64 (`snapshot`); over HTTP the snapshot is its own part.
public struct DetectionMessage: Decodable, Sendable {
    /// The detection.
    public var detection: DetectionInput
    /// The camera's own ID of the event, when it sends one.
    public var id: String?
    /// The snapshot's bytes, when sent inline.
    public var snapshot: Data?

    private enum CodingKeys: String, CodingKey { case id, snapshot }

    /// Reads the message; a snapshot that is not base64 is refused naming `snapshot`.
    public init(from decoder: any Decoder) throws {
        detection = try DetectionInput(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        if let text = try c.decodeIfPresent(String.self, forKey: .snapshot) {
            guard let data = Data(base64Encoded: text) else { throw DomainError.invalid("snapshot", "snapshot must be the image in base64") }
            snapshot = data
        }
    }

    private static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        // With or without fractional seconds, as cameras stamp their frames.
        d.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = (try? Date.ISO8601FormatStyle().parse(text)) ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            else { throw DomainError.invalid("time", "time must be an ISO 8601 date-time, not '\(text.prefix(40))'", code: "body.invalid_date") }
            return date
        }
        return d
    }()

    /// Reads a message from outside bytes (an MQTT payload): control characters in its text, malformed JSON and wrong
    /// or missing fields are refused as invalid input naming the field.
    public static func read(_ bytes: Data) throws -> DetectionMessage {
        try TextRules.checkJSON(bytes)
        do {
            return try decoder.decode(DetectionMessage.self, from: bytes)
        } catch let e as DomainError {
            throw e
        } catch let DecodingError.keyNotFound(key, _) {
            throw DomainError.invalid(key.stringValue, "missing field '\(key.stringValue)'", code: "body.missing_field")
        } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx) {
            let field = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw DomainError.invalid(field.isEmpty ? "body" : field, "field '\(field)' has the wrong type", code: "body.wrong_type")
        } catch let DecodingError.dataCorrupted(ctx) {
            let field = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw DomainError.invalid(field.isEmpty ? "body" : field, "the message is not valid JSON of a detection", code: "body.malformed_json")
        }
    }
}
