import CityLoopDomain
import Foundation

/// Readings from a file, for back-fill (历史数据补录): a gateway's buffer, a vendor platform's export. CSV in one of
/// two forms, told apart by the header:
///
///     device,at,measurement,value[,unit]          one value per line (long)
///     WL-0001,2026-12-01T08:00:00+08:00,measuredDistance,4.2
///
///     device,at,measuredDistance,currentLevel     one line per report, a column per measurement (wide)
///     WL-0001,1764547200000,4.2,0.8
///
/// or JSON as devices post it (`ReadingPayload`). `at` is ISO 8601 or milliseconds since 1970; a value is a number
/// or a state name; an empty cell is no value.
public enum ReadingFile {
    /// Lines (or JSON entries) of one file at most.
    public static let maxLines = 1_000_000

    /// A line (or JSON entry) that could not be read.
    public struct Problem: Hashable, Sendable, Codable {
        /// The line of the file (1-based; for JSON the entry's index + 1).
        public var line: Int
        /// The device the line names, when it names a well-formed one.
        public var device: String?
        public var field: String
        public var message: String
    }

    /// The raw readings of a CSV file and the lines that could not be read. Throws (422 on `body`) when the header
    /// does not name the columns or the file is too long.
    public static func csv(_ text: String) throws -> (readings: [RawReading], problems: [Problem]) {
        let records = CSVReader.records(text).filter { $0.error != nil || !$0.fields.allSatisfy(\.isEmpty) }
        guard let header = records.first?.fields, header.contains("device"), header.contains("at") else {
            throw DomainError.invalid("body", "the first line must name the columns: device,at,measurement,value[,unit] or device,at,<measurement>…")
        }
        guard records.count <= maxLines + 1 else { throw DomainError.invalid("body", "at most \(maxLines) lines per file") }
        let column = Dictionary(header.enumerated().map { ($1, $0) }) { a, _ in a }
        let long = column["measurement"] != nil && column["value"] != nil
        let measured = long ? [] : header.enumerated().filter { !["device", "at", ""].contains($0.element) }
        if !long {
            guard !measured.isEmpty else { throw DomainError.invalid("body", "the header names no measurement column") }
            if let bad = measured.first(where: { !ReadingPayload.isName($0.element, max: 48) }) {
                throw DomainError.invalid("body", "column '\(bad.element.prefix(48))' is not a measurement name (1–48 letters, digits or _ . : -)")
            }
        }
        var readings: [RawReading] = []
        var problems: [Problem] = []
        for record in records.dropFirst() {
            do {
                if let error = record.error { throw Problem(line: record.line, device: nil, field: "line", message: error) }
                let cell = { (name: String) -> String in column[name].flatMap { $0 < record.fields.count ? record.fields[$0] : nil } ?? "" }
                let device = cell("device")
                guard ReadingPayload.isName(device, max: 64) else {
                    throw Problem(line: record.line, device: nil, field: "device", message: "device must be 1–64 letters, digits or _ . : -")
                }
                guard let at = ReadingPayload.time(cell("at")) else {
                    throw Problem(line: record.line, device: device, field: "at", message: "at must be an ISO 8601 time or milliseconds since 1970")
                }
                let values: [(name: String, text: String)] = long
                    ? [(cell("measurement"), cell("value"))]
                    : measured.map { ($0.element, $0.offset < record.fields.count ? record.fields[$0.offset] : "") }.filter { !$0.text.isEmpty }
                guard !values.isEmpty else { throw Problem(line: record.line, device: device, field: "value", message: "the line holds no value") }
                let unit = long && !cell("unit").isEmpty ? cell("unit") : nil
                if let unit, unit.utf8.count > 16 || TextRules.firstRefused(in: unit) != nil {
                    throw Problem(line: record.line, device: device, field: "unit", message: "a unit must be text of at most 16 characters")
                }
                for (name, text) in values {
                    guard ReadingPayload.isName(name, max: 48) else {
                        throw Problem(line: record.line, device: device, field: "measurement", message: "a measurement name must be 1–48 letters, digits or _ . : -")
                    }
                    if let number = Double(text), number.isFinite {
                        readings.append(RawReading(deviceID: device, measurement: name, at: at, number: number, unit: unit))
                    } else if ReadingPayload.isName(text, max: 48), Double(text) == nil {
                        readings.append(RawReading(deviceID: device, measurement: name, at: at, state: text))
                    } else {
                        throw Problem(line: record.line, device: device, field: long ? "value" : name, message: "\(name) must be a finite number or a state name")
                    }
                }
            } catch let p as Problem {
                problems.append(p)
            }
        }
        return (readings, problems)
    }

    /// The raw readings of a JSON file (an array of entries or `{"readings": […]}`, as devices post them).
    public static func json(_ data: Data) throws -> (readings: [RawReading], problems: [Problem]) {
        let (readings, problems) = try ReadingPayload.decode(data, maxEntries: maxLines)
        return (readings, problems.map { Problem(line: $0.index + 1, device: $0.device, field: $0.field, message: $0.message) })
    }
}

extension ReadingFile.Problem: Error {}
