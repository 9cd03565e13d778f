import Foundation

/// What an evidence photo says about itself: pixel size, when and where it was taken, how to turn it upright,
/// and the small preview its camera embedded.
///
/// Read straight from the bytes of a JPEG (frame header and EXIF), PNG, WebP or GIF. Every read is bounds-checked,
/// so truncated, malformed or hostile files give nil fields, never a crash; anything unrecognised gives all nil.
public struct ImageFacts: Hashable, Sendable {
    /// Width in pixels as stored (before `orientation` is applied).
    public var width: Int?
    /// Height in pixels as stored (before `orientation` is applied).
    public var height: Int?
    /// When the photo was taken: EXIF DateTimeOriginal, placed in time by OffsetTimeOriginal or, without it,
    /// by the default UTC offset given to `read`.
    public var takenAt: Date?
    /// Where the photo was taken: the EXIF GPS latitude and longitude (south and west negative).
    public var location: GeoPoint?
    /// The EXIF orientation, 1...8 (1 is upright; 6 means turn 90° clockwise to display).
    public var orientation: Int?
    /// The embedded EXIF thumbnail: a complete JPEG stream.
    public var thumbnail: Data?

    /// Creates facts; every field is nil unless given.
    public init(
        width: Int? = nil, height: Int? = nil, takenAt: Date? = nil, location: GeoPoint? = nil, orientation: Int? = nil,
        thumbnail: Data? = nil
    ) {
        self.width = width
        self.height = height
        self.takenAt = takenAt
        self.location = location
        self.orientation = orientation
        self.thumbnail = thumbnail
    }

    /// The facts of an image, reading a capture time without an offset as China Standard Time (UTC+8).
    public static func read(_ data: Data) -> ImageFacts {
        read(data, defaultUTCOffsetSeconds: 8 * 3600)
    }

    /// The facts of an image; a capture time without OffsetTimeOriginal is read as local time at
    /// `defaultUTCOffsetSeconds` east of UTC (China Standard Time, UTC+8, unless told otherwise).
    public static func read(_ data: Data, defaultUTCOffsetSeconds: Int = 8 * 3600) -> ImageFacts {
        var facts = ImageFacts()
        let b = Bytes(data)
        if b.matches([0xFF, 0xD8], at: 0) {
            readJPEG(b, into: &facts, defaultOffset: defaultUTCOffsetSeconds)
        } else if b.matches([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], at: 0) {
            readPNG(b, into: &facts)
        } else if b.matches(Array("RIFF".utf8), at: 0), b.matches(Array("WEBP".utf8), at: 8) {
            readWebP(b, into: &facts, defaultOffset: defaultUTCOffsetSeconds)
        } else if b.matches(Array("GIF87a".utf8), at: 0) || b.matches(Array("GIF89a".utf8), at: 0) {
            facts.setSize(b.u16(6, little: true), b.u16(8, little: true))
        }
        return facts
    }

    private mutating func setSize(_ w: Int?, _ h: Int?) {
        guard let w, let h, w > 0, h > 0 else { return }
        width = w
        height = h
    }
}

// MARK: - Containers

extension ImageFacts {
    private static func readJPEG(_ b: Bytes, into facts: inout ImageFacts, defaultOffset: Int) {
        var pos = 2
        var sawFrame = false, sawExif = false
        while pos < b.count {
            guard b.u8(pos) == 0xFF else { return }
            // Any number of 0xFF fill bytes may precede a marker.
            while b.u8(pos) == 0xFF { pos += 1 }
            guard let marker = b.u8(pos) else { return }
            pos += 1
            switch marker {
            case 0xD9, 0xDA: return  // EOI, or SOS: entropy-coded data follows and holds nothing we read
            case 0x01, 0xD0...0xD8: continue  // markers without a length
            case 0x00: return  // a stuffed zero outside entropy-coded data: not a marker stream
            default: break
            }
            guard let length = b.u16(pos, little: false), length >= 2 else { return }
            let start = pos + 2
            // A truncated file keeps what is there of its last segment.
            let segment = b.sub(start, min(length - 2, b.count - start))
            if (0xC0...0xC2).contains(marker), !sawFrame {
                // SOF0 baseline, SOF1 extended, SOF2 progressive: precision, then height and width.
                sawFrame = true
                facts.setSize(segment.u16(3, little: false), segment.u16(1, little: false))
            } else if marker == 0xE1, !sawExif, segment.matches(Array("Exif\0\0".utf8), at: 0) {
                // Only the first Exif APP1 counts; other APP1 segments (XMP) start differently.
                sawExif = true
                readEXIF(segment.sub(6, segment.count - 6), into: &facts, defaultOffset: defaultOffset)
            }
            pos = start + length - 2
        }
    }

    private static func readPNG(_ b: Bytes, into facts: inout ImageFacts) {
        guard b.u32(8, little: false) == 13, b.matches(Array("IHDR".utf8), at: 12),
              let w = b.u32(16, little: false), let h = b.u32(20, little: false),
              w <= Int(Int32.max), h <= Int(Int32.max)
        else { return }
        facts.setSize(w, h)
    }

    private static func readWebP(_ b: Bytes, into facts: inout ImageFacts, defaultOffset: Int) {
        guard let firstSize = b.u32(16, little: true) else { return }
        if b.matches(Array("VP8 ".utf8), at: 12) {
            // Lossy: a key frame (frame-tag bit 0 clear) carries the start code and 14-bit sizes.
            guard let tag = b.u8(20), tag & 1 == 0, b.matches([0x9D, 0x01, 0x2A], at: 23),
                  let w = b.u16(26, little: true), let h = b.u16(28, little: true)
            else { return }
            facts.setSize(w & 0x3FFF, h & 0x3FFF)
        } else if b.matches(Array("VP8L".utf8), at: 12) {
            guard b.u8(20) == 0x2F, let bits = b.u32(21, little: true) else { return }
            facts.setSize((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        } else if b.matches(Array("VP8X".utf8), at: 12) {
            if let w = b.u24(24), let h = b.u24(27) { facts.setSize(w + 1, h + 1) }
            // The extended format may carry an EXIF chunk later in the file.
            var pos = 20 + firstSize + (firstSize & 1)
            while let size = b.u32(pos + 4, little: true) {
                let start = pos + 8
                if b.matches(Array("EXIF".utf8), at: pos) {
                    var exif = b.sub(start, min(size, b.count - start))
                    if exif.matches(Array("Exif\0\0".utf8), at: 0) { exif = exif.sub(6, exif.count - 6) }
                    readEXIF(exif, into: &facts, defaultOffset: defaultOffset)
                    return
                }
                pos = start + size + (size & 1)
            }
        }
    }
}

// MARK: - EXIF

extension ImageFacts {
    /// More entries than any camera writes: a larger count is corruption, and reading it would only find garbage.
    private static let maxEntries = 512

    private enum Tag {
        static let orientation = 0x0112, exifIFD = 0x8769, gpsIFD = 0x8825
        static let dateTimeOriginal = 0x9003, offsetTimeOriginal = 0x9011
        static let latitudeRef = 0x0001, latitude = 0x0002, longitudeRef = 0x0003, longitude = 0x0004
        static let thumbnailOffset = 0x0201, thumbnailLength = 0x0202
    }

    /// Reads a TIFF structure (the EXIF payload); offsets inside it count from its first byte.
    private static func readEXIF(_ b: Bytes, into facts: inout ImageFacts, defaultOffset: Int) {
        let tiff: TIFF
        if b.matches(Array("II".utf8), at: 0), b.u16(2, little: true) == 42 {
            tiff = TIFF(b: b, little: true)
        } else if b.matches(Array("MM".utf8), at: 0), b.u16(2, little: false) == 42 {
            tiff = TIFF(b: b, little: false)
        } else {
            return
        }
        // The structure is fixed (IFD0, its Exif and GPS sub-IFDs, IFD1), so no recursion; the visited set stops
        // pointers that lead back to an IFD already read.
        var visited = Set<Int>()
        guard let ifd0Offset = tiff.u32(4), let ifd0 = tiff.ifd(at: ifd0Offset, visited: &visited) else { return }

        if let e = ifd0.entries[Tag.orientation], let o = tiff.unsigned(e), (1...8).contains(o) {
            facts.orientation = o
        }
        if let pointer = ifd0.entries[Tag.exifIFD], let offset = tiff.unsigned(pointer),
           let exif = tiff.ifd(at: offset, visited: &visited),
           let e = exif.entries[Tag.dateTimeOriginal], let text = tiff.ascii(e)
        {
            let zone = exif.entries[Tag.offsetTimeOriginal].flatMap { tiff.ascii($0) }.flatMap(utcOffset)
            facts.takenAt = exifDate(text, utcOffsetSeconds: zone ?? defaultOffset)
        }
        if let pointer = ifd0.entries[Tag.gpsIFD], let offset = tiff.unsigned(pointer),
           let gps = tiff.ifd(at: offset, visited: &visited)
        {
            facts.location = location(gps, in: tiff)
        }
        if let next = ifd0.next, let ifd1 = tiff.ifd(at: next, visited: &visited),
           let o = ifd1.entries[Tag.thumbnailOffset].flatMap(tiff.unsigned),
           let n = ifd1.entries[Tag.thumbnailLength].flatMap(tiff.unsigned),
           n >= 2, tiff.b.matches([0xFF, 0xD8], at: o), let bytes = tiff.b.copy(o, n)
        {
            facts.thumbnail = bytes
        }
    }

    private static func location(_ gps: TIFF.IFD, in tiff: TIFF) -> GeoPoint? {
        func ref(_ tag: Int) -> String? { gps.entries[tag].flatMap(tiff.ascii)?.uppercased() }
        func degrees(_ tag: Int, max: Double) -> Double? {
            guard let e = gps.entries[tag], let parts = tiff.rationals(e, upTo: 3) else { return nil }
            let d = parts[0], m = parts.count > 1 ? parts[1] : 0, s = parts.count > 2 ? parts[2] : 0
            guard (0...max).contains(d), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
            let value = d + m / 60 + s / 3600
            return value <= max ? value : nil
        }
        guard let latRef = ref(Tag.latitudeRef), latRef == "N" || latRef == "S",
              let lonRef = ref(Tag.longitudeRef), lonRef == "E" || lonRef == "W",
              let lat = degrees(Tag.latitude, max: 90), let lon = degrees(Tag.longitude, max: 180),
              lat != 0 || lon != 0  // 0,0 is what a receiver without a fix writes, not a place
        else { return nil }
        let point = GeoPoint(lat: latRef == "S" ? -lat : lat, lon: lonRef == "W" ? -lon : lon)
        return point.isValid ? point : nil
    }

    /// "YYYY:MM:DD HH:MM:SS" at an offset east of UTC; nil when blank or not a real date and time.
    private static func exifDate(_ text: String, utcOffsetSeconds: Int) -> Date? {
        let c = Array(text.utf8)
        guard c.count >= 19 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            var n = 0
            for i in from..<from + length {
                guard (0x30...0x39).contains(c[i]) else { return nil }
                n = n * 10 + Int(c[i] - 0x30)
            }
            return n
        }
        guard let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2),
              let h = number(11, 2), let mi = number(14, 2), let s = number(17, 2),
              y >= 1, (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d),
              h < 24, mi < 60, s <= 60
        else { return nil }
        let local = ((WorkingCalendar.days(y, mo, d) * 24 + h) * 60 + mi) * 60 + s
        // The default offset comes from the caller and could be anything.
        let (utc, overflow) = local.subtractingReportingOverflow(utcOffsetSeconds)
        return overflow ? nil : Date(timeIntervalSince1970: TimeInterval(utc))
    }

    /// "+08:00", "-05:30", "+0800" or "Z" as seconds east of UTC; nil when blank or malformed.
    private static func utcOffset(_ text: String) -> Int? {
        let c = Array(text.utf8)
        if c == [0x5A] { return 0 }
        guard c.count == 6 || c.count == 5, c[0] == 0x2B || c[0] == 0x2D else { return nil }
        let digits = c.count == 6 ? (c[3] == 0x3A ? [c[1], c[2], c[4], c[5]] : []) : Array(c[1...4])
        guard digits.count == 4, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let v = digits.map { Int($0 - 0x30) }
        let hours = v[0] * 10 + v[1], minutes = v[2] * 10 + v[3]
        guard hours <= 14, minutes < 60 else { return nil }
        return (c[0] == 0x2D ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

// MARK: - Bounds-checked reading

extension ImageFacts {
    /// A window on bytes in which every read outside the window gives nil.
    private struct Bytes {
        let data: Data
        /// Index in `data` of the window's first byte.
        let start: Int
        let count: Int

        init(_ data: Data) {
            self.init(data: data, start: data.startIndex, count: data.count)
        }

        private init(data: Data, start: Int, count: Int) {
            self.data = data
            self.start = start
            self.count = count
        }

        /// Whether `length` bytes from `offset` all lie inside the window.
        func inside(_ offset: Int, _ length: Int) -> Bool {
            offset >= 0 && length >= 0 && offset <= count && length <= count - offset
        }

        /// The part from `offset` for `length` bytes, cut short at the end of the window.
        func sub(_ offset: Int, _ length: Int) -> Bytes {
            let o = Swift.min(Swift.max(offset, 0), count)
            return Bytes(data: data, start: start + o, count: Swift.min(Swift.max(length, 0), count - o))
        }

        func u8(_ o: Int) -> Int? {
            inside(o, 1) ? Int(data[start + o]) : nil
        }

        func u16(_ o: Int, little: Bool) -> Int? {
            guard inside(o, 2) else { return nil }
            let a = Int(data[start + o]), b = Int(data[start + o + 1])
            return little ? a | b << 8 : a << 8 | b
        }

        func u24(_ o: Int) -> Int? {
            guard inside(o, 3) else { return nil }
            return Int(data[start + o]) | Int(data[start + o + 1]) << 8 | Int(data[start + o + 2]) << 16
        }

        func u32(_ o: Int, little: Bool) -> Int? {
            guard let hi = u16(little ? o + 2 : o, little: little), let lo = u16(little ? o : o + 2, little: little) else {
                return nil
            }
            return hi << 16 | lo
        }

        func matches(_ bytes: [UInt8], at o: Int) -> Bool {
            guard inside(o, bytes.count) else { return false }
            for (i, byte) in bytes.enumerated() where data[start + o + i] != byte { return false }
            return true
        }

        /// A copy of `length` bytes from `offset`, indexed from zero; nil unless all of them are inside.
        func copy(_ offset: Int, _ length: Int) -> Data? {
            guard inside(offset, length) else { return nil }
            return Data(data[start + offset..<start + offset + length])
        }
    }

    /// A TIFF structure in one byte order.
    private struct TIFF {
        let b: Bytes
        let little: Bool

        struct Entry {
            let type: Int
            let count: Int
            /// Where the value starts: in the entry when it fits in four bytes, else where the entry points.
            let valueOffset: Int
        }

        struct IFD {
            var entries: [Int: Entry] = [:]
            /// The offset of the next IFD in the chain, if any.
            var next: Int?
        }

        func u16(_ o: Int) -> Int? { b.u16(o, little: little) }
        func u32(_ o: Int) -> Int? { b.u32(o, little: little) }

        private static func size(ofType type: Int) -> Int? {
            switch type {
            case 1, 2, 6, 7: 1  // BYTE, ASCII, SBYTE, UNDEFINED
            case 3, 8: 2  // SHORT, SSHORT
            case 4, 9, 11, 13: 4  // LONG, SLONG, FLOAT, IFD
            case 5, 10, 12: 8  // RATIONAL, SRATIONAL, DOUBLE
            default: nil
            }
        }

        /// The IFD at `offset`, or nil when it is outside, already read, or claims more entries than plausible.
        /// Entries cut off by the end of the data are left out.
        func ifd(at offset: Int, visited: inout Set<Int>) -> IFD? {
            guard offset > 0, let n = u16(offset), n <= ImageFacts.maxEntries, visited.insert(offset).inserted else {
                return nil
            }
            var ifd = IFD()
            for i in 0..<n {
                let p = offset + 2 + 12 * i
                guard let tag = u16(p), let type = u16(p + 2), let count = u32(p + 4), let pointer = u32(p + 8) else { break }
                guard let unit = Self.size(ofType: type), ifd.entries[tag] == nil else { continue }
                let total = unit.multipliedReportingOverflow(by: count)
                guard !total.overflow else { continue }
                let valueOffset = total.partialValue <= 4 ? p + 8 : pointer
                ifd.entries[tag] = Entry(type: type, count: count, valueOffset: valueOffset)
            }
            if let next = u32(offset + 2 + 12 * n), next > 0 { ifd.next = next }
            return ifd
        }

        /// The first value of a BYTE, SHORT, LONG or IFD entry.
        func unsigned(_ e: Entry) -> Int? {
            guard e.count >= 1 else { return nil }
            switch e.type {
            case 1: return b.u8(e.valueOffset)
            case 3: return u16(e.valueOffset)
            case 4, 13: return u32(e.valueOffset)
            default: return nil
            }
        }

        /// An ASCII entry up to its first NUL, trimmed of spaces; nil when empty.
        func ascii(_ e: Entry) -> String? {
            guard e.type == 2 || e.type == 7 else { return nil }
            // A value reaching past the data is corrupt; a long one that fits is cut, as every text we read is short.
            guard b.inside(e.valueOffset, e.count), let bytes = b.copy(e.valueOffset, Swift.min(e.count, 64)) else { return nil }
            let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }

        /// Up to `upTo` values of a RATIONAL or SRATIONAL entry; nil when any denominator is zero or a value is cut off.
        func rationals(_ e: Entry, upTo n: Int) -> [Double]? {
            guard e.type == 5 || e.type == 10, e.count >= 1 else { return nil }
            var values: [Double] = []
            for i in 0..<Swift.min(e.count, n) {
                guard let num = u32(e.valueOffset + 8 * i), let den = u32(e.valueOffset + 8 * i + 4), den != 0 else {
                    return nil
                }
                if e.type == 5 {
                    values.append(Double(num) / Double(den))
                } else {
                    values.append(Double(Int32(truncatingIfNeeded: num)) / Double(Int32(truncatingIfNeeded: den)))
                }
            }
            return values
        }
    }
}
