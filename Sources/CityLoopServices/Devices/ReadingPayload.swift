import CityLoopDomain
import Foundation

/// Readings as devices and gateways send them, over HTTP and MQTT alike (读数报文): a JSON object, or an array of
/// them, each
///
///     {"device": "MC-0001", "at": "2026-12-06T08:00:00+08:00", "measurements": {"coverState": "open", "tiltAngle": 32.5},
///      "units": {"tiltAngle": "deg"}}
///
/// `at` is an ISO 8601 time or milliseconds since 1970; a value is a number or a state; `units` is optional (a
/// number is in its measurement's unit when it names none). Over MQTT the topic names the device and `device` may
/// be left out. Every outside byte is checked here: sizes, names, control characters, non-finite numbers.
public enum ReadingPayload {
    /// A part of a payload that could not be read.
    public struct Problem: Hashable, Sendable, Codable {
        /// The entry's index in the payload (0 for a single object).
        public var index: Int
        /// The device the entry names, when it names a well-formed one.
        public var device: String?
        public var field: String
        public var message: String
    }

    /// Entries of one payload at most.
    public static let maxEntries = 5000
    /// Measurements of one entry at most.
    public static let maxMeasurements = 64

    /// The raw readings of `data`, and the entries that could not be read. `device` is the device the channel
    /// names (the MQTT topic): an entry naming another is refused. Throws (422 on `body`) when the payload as a
    /// whole is not readings or holds more than `maxEntries` entries (a back-fill file may hold more than a message).
    public static func decode(_ data: Data, device: String? = nil, maxEntries: Int = ReadingPayload.maxEntries) throws -> (readings: [RawReading], problems: [Problem]) {
        let first = data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            throw DomainError.invalid("body", "the payload must be a JSON object or array")
        }
        guard let entries = (try? decoder.decode(Root.self, from: data))?.entries else {
            throw DomainError.invalid("body", "the payload must be JSON: an object, an array of objects or {\"readings\": [...]}")
        }
        guard entries.count <= maxEntries else { throw DomainError.invalid("body", "at most \(maxEntries) entries per payload") }
        var readings: [RawReading] = []
        var problems: [Problem] = []
        for (i, slot) in entries.enumerated() {
            do {
                guard let e = slot.entry else { throw EntryProblem(device: device, field: "entry", message: slot.error ?? "an entry must be an object") }
                readings += try Self.readings(e, device: device)
            } catch let p as EntryProblem {
                problems.append(Problem(index: i, device: p.device, field: p.field, message: p.message))
            }
        }
        return (readings, problems)
    }

    private static let decoder = JSONDecoder()

    /// Any member name.
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The payload's three forms, told apart in one parse: an array of entries, `{"readings": [...]}`, one entry.
    private struct Root: Decodable {
        var entries: [Slot]
        init(from decoder: any Decoder) throws {
            if var list = try? decoder.unkeyedContainer() {
                var out: [Slot] = []
                while !list.isAtEnd { out.append(try list.decode(Slot.self)) }
                entries = out
                return
            }
            let object = try decoder.container(keyedBy: Key.self)
            let readings = Key(stringValue: "readings")
            entries = object.contains(readings) ? try object.decode([Slot].self, forKey: readings) : [try Slot(from: decoder)]
        }
    }

    /// One entry, or why it could not be read (so that one bad entry does not spoil the others).
    private struct Slot: Decodable {
        var entry: Entry?
        var error: String?
        init(from decoder: any Decoder) throws {
            do { entry = try Entry(from: decoder) } catch { self.error = Self.describe(error) }
        }
        static func describe(_ error: any Error) -> String {
            switch error as? DecodingError {
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
                return "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
            case .keyNotFound(let key, _): return "\(key.stringValue) is required"
            default: return "an entry must be an object with at and measurements"
            }
        }
    }

    private struct Entry: Decodable {
        var device: String?
        var at: Time
        var measurements: Measurements
        var units: [String: String]?
    }

    /// The measurements of an entry, read key by key (a `[String: Scalar]` through Codable's generic dictionary
    /// path cost a third more, and the ingest of MQTT messages spends most of its decoding here).
    private struct Measurements: Decodable {
        var pairs: [(name: String, value: Scalar)]
        var isEmpty: Bool { pairs.isEmpty }
        var count: Int { pairs.count }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            pairs = try c.allKeys.map { ($0.stringValue, try c.decode(Scalar.self, forKey: $0)) }
        }
    }

    /// A time: ISO 8601 text or milliseconds since 1970.
    private struct Time: Decodable {
        var date: Date?
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let ms = try? c.decode(Double.self) {
                date = ReadingPayload.time(millis: ms)
            } else if let text = try? c.decode(String.self) {
                date = ReadingPayload.time(text)
            }
        }
    }

    /// A time given as milliseconds since 1970 (before the year 3000).
    public static func time(millis ms: Double) -> Date? {
        ms.isFinite && ms > 0 && ms < 32_503_680_000_000 ? Date(timeIntervalSince1970: ms / 1000) : nil
    }

    /// A time given as text: ISO 8601 (with or without fractions of a second) or milliseconds since 1970.
    public static func time(_ text: String) -> Date? {
        guard !text.isEmpty, text.utf8.count <= 40 else { return nil }
        if text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let ms = Double(text) { return time(millis: ms) }
        return (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    /// A value: a number or a state (a Boolean is neither).
    private enum Scalar: Decodable {
        case number(Double), text(String), other
        init(from decoder: any Decoder) throws {
            // A number first, as most values are (a failed try costs an error): a JSON Boolean is not read as a
            // number nor as a text, so it falls through to `other`.
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { self = .number(d) }
            else if let s = try? c.decode(String.self) { self = .text(s) }
            else { self = .other }
        }
    }

    private struct EntryProblem: Error {
        var device: String?
        var field: String
        var message: String
    }

    private static func readings(_ e: Entry, device topicDevice: String?) throws -> [RawReading] {
        var device = topicDevice
        if let named = e.device {
            guard isName(named, max: 64) else {
                throw EntryProblem(device: topicDevice, field: "device", message: "device must be 1–64 letters, digits or _ . : -")
            }
            if let topicDevice, topicDevice != named {
                throw EntryProblem(device: topicDevice, field: "device", message: "the entry names device \(named), the topic \(topicDevice)")
            }
            device = named
        }
        guard let device else { throw EntryProblem(device: nil, field: "device", message: "device is required") }
        guard let at = e.at.date else {
            throw EntryProblem(device: device, field: "at", message: "at must be an ISO 8601 time or milliseconds since 1970")
        }
        guard !e.measurements.isEmpty, e.measurements.count <= maxMeasurements else {
            throw EntryProblem(device: device, field: "measurements", message: "measurements must be an object of 1–\(maxMeasurements) name: value pairs")
        }
        var out: [RawReading] = []
        for (name, v) in e.measurements.pairs.sorted(by: { $0.name < $1.name }) {
            guard isName(name, max: 48) else {
                throw EntryProblem(device: device, field: "measurements", message: "a measurement name must be 1–48 letters, digits or _ . : -")
            }
            var unit: String?
            if let u = e.units?[name] {
                guard u.utf8.count <= 16, TextRules.firstRefused(in: u) == nil else {
                    throw EntryProblem(device: device, field: "units", message: "a unit must be text of at most 16 characters")
                }
                unit = u
            }
            switch v {
            case .number(let d) where d.isFinite:
                out.append(RawReading(deviceID: device, measurement: name, at: at, number: d, unit: unit))
            case .text(let s) where isName(s, max: 48):
                out.append(RawReading(deviceID: device, measurement: name, at: at, state: s))
            default:
                throw EntryProblem(device: device, field: "measurements.\(name)", message: "\(name) must be a finite number or a state name")
            }
        }
        return out
    }

    /// Whether `text` is a name: 1…`max` ASCII letters, digits or `_ . : -`.
    public static func isName(_ text: String, max: Int) -> Bool {
        let u = text.utf8
        return !u.isEmpty && u.count <= max
            && u.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 46 || $0 == 58 || $0 == 45 }
    }
}
