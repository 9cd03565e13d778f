import Foundation

/// A named, addressed point from the city's own place table (地名地址库).
public struct Place: Hashable, Codable, Sendable {
    /// The place name, e.g. `紫荆山公园`; may be empty when the row only has an address.
    public var name: String
    /// The street address, e.g. `文化路12号`; may be empty when the row only has a name.
    public var address: String
    /// Where the place is.
    public var point: GeoPoint

    /// Creates a place.
    public init(name: String, address: String, point: GeoPoint) {
        self.name = name
        self.address = address
        self.point = point
    }

    /// A stable ID for the place (Open311 `address_id`): `p` and 16 hex digits of an FNV-1a hash of its name,
    /// address and point. The place table has no IDs of its own; this one is the same on every import of the
    /// same row and changes only when the row does.
    public var id: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(name)\u{1F}\(address)\u{1F}\(point.lat)\u{1F}\(point.lon)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "p" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Place {
    /// The header names accepted for each column (compared lower-cased and trimmed).
    static let columnAliases: [(column: String, aliases: [String])] = [
        ("name", ["name", "名称", "地名"]),
        ("address", ["address", "地址"]),
        ("lat", ["lat", "latitude", "纬度"]),
        ("lon", ["lon", "lng", "longitude", "经度"]),
    ]

    /// Parses a place table as CSV with a header naming the columns `name,address,lat,lon`, in any order
    /// (extra columns are ignored; `名称`/`地址`/`纬度`/`经度`, `latitude`/`longitude`/`lng` are accepted too).
    ///
    /// Handles RFC 4180 quoting (commas, doubled quotes and line breaks inside quotes), a UTF-8 byte-order
    /// mark and CRLF line ends; blank lines are skipped. A row with neither name nor address, or with a
    /// missing, non-numeric or out-of-range coordinate, is returned in `rejected` with its 1-based line
    /// number (the line the row starts on; the header is line 1) instead of failing the whole table.
    /// - Throws: `DomainError.invalid("csv", …)` when the header lacks `lat`, `lon`, or both `name` and `address`.
    public static func parseCSV(_ text: String) throws -> (places: [Place], rejected: [(line: Int, reason: String)]) {
        let records = CSVReader.records(text).drop { $0.error == nil && $0.fields.allSatisfy(\.isEmpty) }
        guard let header = records.first, header.error == nil else {
            throw DomainError.invalid("csv", "the place table needs a header line naming name,address,lat,lon")
        }
        var position: [String: Int] = [:]
        for (i, raw) in header.fields.enumerated() {
            let key = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            for (column, aliases) in columnAliases where aliases.contains(key) && position[column] == nil {
                position[column] = i
            }
        }
        let missing = ["lat", "lon"].filter { position[$0] == nil }
        guard missing.isEmpty else {
            throw DomainError.invalid("csv", "the header has no \(missing.joined(separator: " or ")) column")
        }
        guard position["name"] != nil || position["address"] != nil else {
            throw DomainError.invalid("csv", "the header has neither a name nor an address column")
        }
        var places: [Place] = []
        var rejected: [(line: Int, reason: String)] = []
        for record in records.dropFirst() {
            if let error = record.error {
                rejected.append((record.line, error))
                continue
            }
            if record.fields.allSatisfy(\.isEmpty) { continue }
            func field(_ column: String) -> String {
                guard let i = position[column], i < record.fields.count else { return "" }
                return record.fields[i]
            }
            let name = field("name"), address = field("address")
            guard !name.isEmpty || !address.isEmpty else {
                rejected.append((record.line, "the row has neither a name nor an address"))
                continue
            }
            var coordinates: [Double] = []
            var problem: String?
            for column in ["lat", "lon"] {
                let value = field(column)
                if value.isEmpty {
                    problem = "\(column) is missing"
                } else if let d = Double(value) {
                    coordinates.append(d)
                } else {
                    problem = "\(column) '\(value)' is not a number"
                }
                if problem != nil { break }
            }
            if let problem {
                rejected.append((record.line, problem))
                continue
            }
            let point = GeoPoint(lat: coordinates[0], lon: coordinates[1])
            guard point.isValid else {
                rejected.append((record.line, "coordinates \(coordinates[0]),\(coordinates[1]) are out of range"))
                continue
            }
            places.append(Place(name: name, address: address, point: point))
        }
        return (places, rejected)
    }
}

/// A minimal RFC 4180 reader working on Unicode scalars, so that CRLF is two separators rather than one Character.
/// Shared by every CSV the platform reads (places, components).
public enum CSVReader {
    /// One record: the line it starts on (1-based), its fields, or why it could not be read.
    public struct Record: Sendable {
        /// The line the record starts on.
        public var line: Int
        /// Its fields, trimmed.
        public var fields: [String]
        /// Why the record could not be read (an unclosed quote).
        public var error: String?
    }

    /// A field quoted for writing when it holds a comma, a quote or a line break.
    public static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// The records of a CSV text (a UTF-8 BOM skipped; LF, CRLF or CR line ends; quoted fields may span lines).
    public static func records(_ text: String) -> [Record] {
        let s = Array(text.unicodeScalars)
        var out: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var line = 1, recordLine = 1
        var i = s.first == "\u{FEFF}" ? 1 : 0

        func finishField() {
            fields.append(String(field).trimmingCharacters(in: .whitespaces))
            field = String.UnicodeScalarView()
        }
        while i < s.count {
            let c = s[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < s.count, s[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || (c == "\r" && !(i + 1 < s.count && s[i + 1] == "\n")) { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"" where String(field).allSatisfy(\.isWhitespace):
                field = String.UnicodeScalarView()
                inQuotes = true
            case ",":
                finishField()
            case "\r", "\n":
                finishField()
                out.append(Record(line: recordLine, fields: fields))
                fields = []
                if c == "\r", i + 1 < s.count, s[i + 1] == "\n" { i += 1 }
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            out.append(Record(line: recordLine, fields: [], error: "a quoted field is not closed before the end of the file"))
        } else if !fields.isEmpty || !field.isEmpty {
            finishField()
            out.append(Record(line: recordLine, fields: fields))
        }
        return out
    }
}

extension Place {
    /// The places as CSV with the header `name,address,lat,lon` (what `parseCSV` reads).
    public static func csv(_ places: [Place]) -> String {
        (["name,address,lat,lon"] + places.map { "\(CSVReader.quote($0.name)),\(CSVReader.quote($0.address)),\($0.point.lat),\($0.point.lon)" })
            .joined(separator: "\n") + "\n"
    }
}
