import CityLoopDomain
import Foundation

/// The byte-level JSON walk behind `GeoJSONReader`: a recursive-descent parser over UTF-8 bytes that builds only
/// what a feature needs and skips everything else.
struct GeoJSONByteParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let callerCRS: CoordinateSystem?
    let maxDepth: Int
    var pos = 0
    var depth = 0
    var memberCRS: CoordinateSystem?
    var featureIndex = 0

    init(bytes: UnsafeBufferPointer<UInt8>, crs: CoordinateSystem?, maxDepth: Int) {
        self.bytes = bytes
        self.callerCRS = crs
        self.maxDepth = maxDepth
    }

    // MARK: the collection

    mutating func readCollection(_ body: (GeoJSONFeature) throws -> Void) throws -> Int {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { throw notCollection() }
        var type: String?
        var sawFeatures = false
        try readObject { p, key in
            switch key {
            case "type": type = try p.readString()
            case "crs": p.memberCRS = try p.readCRSMember()
            case "features":
                sawFeatures = true
                try p.readArray { p in
                    let feature = try p.readFeature()
                    p.featureIndex += 1
                    try body(feature)
                }
            default: try p.skipValue()
            }
        }
        skipSpace()
        guard pos == bytes.count else { throw malformed("unexpected content after the end of the document") }
        guard type == "FeatureCollection", sawFeatures else { throw notCollection() }
        return featureIndex
    }

    mutating func readCRSMember() throws -> CoordinateSystem? {
        guard peek() != UInt8(ascii: "n") else { try skipValue(); return nil }
        var name: String?
        try readObject { p, key in
            guard key == "properties" else { return try p.skipValue() }
            try p.readObject { p, key in
                if key == "name", p.peek() == UInt8(ascii: "\"") { name = try p.readString() } else { try p.skipValue() }
            }
        }
        guard let name else { throw DomainError.invalid("crs", "the GeoJSON crs member needs properties.name") }
        return try CoordinateSystem.geoJSONMember(name)
    }

    mutating func readFeature() throws -> GeoJSONFeature {
        let i = featureIndex
        guard peek() == UInt8(ascii: "{") else { throw DomainError.invalid("features[\(i)]", "feature \(i) is not a JSON object") }
        var feature = GeoJSONFeature(index: i)
        try readObject { p, key in
            switch key {
            case "properties":
                if p.peek() == UInt8(ascii: "n") { return try p.skipValue() }
                guard p.peek() == UInt8(ascii: "{") else {
                    throw DomainError.invalid("features[\(i)].properties", "feature \(i): properties must be an object")
                }
                try p.readObject { p, key in feature.properties[key] = try p.readPropertyValue() }
            case "geometry":
                if p.peek() == UInt8(ascii: "n") { return try p.skipValue() }
                guard p.peek() == UInt8(ascii: "{") else {
                    throw DomainError.invalid("features[\(i)].geometry", "feature \(i): geometry must be an object")
                }
                try p.readObject { p, key in
                    switch key {
                    case "type": feature.geometryType = try p.readString()
                    case "coordinates": feature.coordinates = try p.readCoordinates()
                    default: try p.skipValue()
                    }
                }
            default: try p.skipValue()
            }
        }
        return feature
    }

    mutating func readPropertyValue() throws -> GeoJSONValue {
        switch peek() {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let start = pos
            try skipValue()
            return .json(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self))
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try readNumber())
        }
    }

    /// Nested arrays of numbers; each innermost array is a position, checked and converted to WGS84.
    mutating func readCoordinates() throws -> GeoJSONCoordinates {
        let field = "features[\(featureIndex)].geometry.coordinates"
        guard peek() == UInt8(ascii: "[") else { throw DomainError.invalid(field, "coordinates must be an array") }
        try enter()
        defer { depth -= 1 }
        pos += 1
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            pos += 1
            return .list([])
        }
        if peek() == UInt8(ascii: "[") {
            var items: [GeoJSONCoordinates] = []
            while true {
                skipSpace()
                items.append(try readCoordinates())
                if try endOfList() { return .list(items) }
            }
        }
        var numbers: [Double] = []
        while true {
            skipSpace()
            guard let c = peek(), c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) else {
                throw malformed("a position holds numbers only")
            }
            numbers.append(try readNumber())
            if try endOfList() { break }
        }
        guard numbers.count >= 2 else {
            throw DomainError.invalid(field, "feature \(featureIndex): a position needs longitude and latitude")
        }
        try CoordinateSystem.checkDegrees(lat: numbers[1], lon: numbers[0], latField: field, lonField: field)
        let crs = callerCRS ?? memberCRS ?? .wgs84
        if crs == .gcj02 || crs == .bd09 {
            let p = crs.toWGS84(GeoPoint(lat: numbers[1], lon: numbers[0]))
            numbers[0] = p.lon
            numbers[1] = p.lat
        }
        return .position(numbers)
    }

    /// After an array element: true at `]`, false at `,`.
    mutating func endOfList() throws -> Bool {
        skipSpace()
        switch peek() {
        case UInt8(ascii: ","): pos += 1; return false
        case UInt8(ascii: "]"): pos += 1; return true
        default: throw malformed("expected ',' or ']'")
        }
    }

    // MARK: JSON

    mutating func readObject(_ member: (inout GeoJSONByteParser, String) throws -> Void) throws {
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { throw malformed("expected '{'") }
        try enter()
        defer { depth -= 1 }
        pos += 1
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            pos += 1
            return
        }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\"") else { throw malformed("expected a member name in quotes") }
            let key = try readString()
            skipSpace()
            guard peek() == UInt8(ascii: ":") else { throw malformed("expected ':'") }
            pos += 1
            skipSpace()
            try member(&self, key)
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): pos += 1
            case UInt8(ascii: "}"): pos += 1; return
            default: throw malformed("expected ',' or '}'")
            }
        }
    }

    mutating func readArray(_ element: (inout GeoJSONByteParser) throws -> Void) throws {
        skipSpace()
        guard peek() == UInt8(ascii: "[") else { throw malformed("expected '['") }
        try enter()
        defer { depth -= 1 }
        pos += 1
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            pos += 1
            return
        }
        while true {
            skipSpace()
            try element(&self)
            if try endOfList() { return }
        }
    }

    mutating func skipValue() throws {
        skipSpace()
        switch peek() {
        case UInt8(ascii: "{"): try readObject { p, _ in try p.skipValue() }
        case UInt8(ascii: "["): try readArray { p in try p.skipValue() }
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try readNumber()
        }
    }

    mutating func readString() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw malformed("expected a string") }
        pos += 1
        let start = pos
        // The common case, no escapes: one copy straight from the buffer.
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "\""), bytes[pos] != UInt8(ascii: "\\"), bytes[pos] >= 0x20 { pos += 1 }
        guard pos < bytes.count else { throw malformed("unterminated string") }
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while bytes[pos] != UInt8(ascii: "\"") {
            let c = bytes[pos]
            guard c >= 0x20 else { throw malformed("control character in a string") }
            if c != UInt8(ascii: "\\") {
                utf8.append(c)
                pos += 1
            } else {
                pos += 1
                guard pos < bytes.count else { throw malformed("unterminated string") }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(e)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try readUnicodeEscape())
                default: throw malformed("unknown escape '\\\(Character(UnicodeScalar(e)))'")
                }
            }
            guard pos < bytes.count else { throw malformed("unterminated string") }
        }
        pos += 1
        guard let s = String(validating: utf8, as: UTF8.self) else { throw malformed("a string is not valid UTF-8") }
        return s
    }

    /// The UTF-8 of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair.
    mutating func readUnicodeEscape() throws -> [UInt8] {
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                throw malformed("a lone surrogate in a \\u escape")
            }
            pos += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw malformed("a lone surrogate in a \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let u = Unicode.Scalar(scalar) else { throw malformed("a lone surrogate in a \\u escape") }
        return Array(String(Character(u)).utf8)
    }

    mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw malformed("a \\u escape needs four hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: throw malformed("a \\u escape needs four hex digits")
            }
            v = v << 4 | UInt32(d)
            pos += 1
        }
        return v
    }

    /// A JSON number, checked against the JSON grammar and parsed correctly rounded.
    mutating func readNumber() throws -> Double {
        let start = pos
        func digits(_ p: inout GeoJSONByteParser) -> Int {
            let s = p.pos
            while p.pos < p.bytes.count, p.bytes[p.pos] >= 0x30, p.bytes[p.pos] <= 0x39 { p.pos += 1 }
            return p.pos - s
        }
        if peek() == UInt8(ascii: "-") { pos += 1 }
        let intStart = pos
        let intDigits = digits(&self)
        guard intDigits > 0 else { throw malformed(start == pos ? "expected a value" : "a number needs digits") }
        guard intDigits == 1 || bytes[intStart] != UInt8(ascii: "0") else { throw malformed("a number has a leading zero") }
        if peek() == UInt8(ascii: ".") {
            pos += 1
            guard digits(&self) > 0 else { throw malformed("a number needs digits after '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            pos += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { pos += 1 }
            guard digits(&self) > 0 else { throw malformed("a number needs digits in its exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw malformed("number \(text) is out of range") }
        return d
    }

    mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard pos + n <= bytes.count, memcmp(bytes.baseAddress! + pos, word.utf8Start, n) == 0 else {
            throw malformed("expected a value")
        }
        pos += n
    }

    mutating func enter() throws {
        depth += 1
        guard depth <= maxDepth else { throw malformed("nested deeper than \(maxDepth) levels") }
    }

    func peek() -> UInt8? { pos < bytes.count ? bytes[pos] : nil }

    mutating func skipSpace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    // MARK: errors

    func malformed(_ what: String) -> DomainError {
        let at = min(pos, bytes.count)
        var line = 1, column = 1
        for b in UnsafeBufferPointer(rebasing: bytes[0..<at]) {
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        let end = at >= bytes.count ? " (end of input)" : ""
        return DomainError.invalid(
            "body", "malformed JSON at byte \(at)\(end), line \(line), column \(column): \(what)", code: "geojson.malformed")
    }

    func notCollection() -> DomainError {
        DomainError.invalid("body", "expected a GeoJSON FeatureCollection (an object with \"type\": \"FeatureCollection\" and \"features\")")
    }
}
