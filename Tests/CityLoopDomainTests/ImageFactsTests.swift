import CityLoopDomain
import Foundation
import Testing

/// Builds real image byte streams in code, so the tests say exactly which tags a file carries.
private enum ImageFixture {
    /// A TIFF field value.
    enum Value {
        case short([UInt16])
        case long([UInt32])
        case ascii(String)
        case rational([(UInt32, UInt32)])
        /// A LONG written as is into the entry's value field (for pointers that lie).
        case rawLong(UInt32)
    }

    typealias Entry = (tag: UInt16, value: Value)

    struct Writer {
        let little: Bool
        var bytes: [UInt8] = []

        mutating func u16(_ v: UInt16) {
            bytes += little ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)]
        }

        mutating func u32(_ v: UInt32) {
            let be = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            bytes += little ? be.reversed() : be
        }
    }

    static func encode(_ value: Value, little: Bool) -> (type: UInt16, count: UInt32, data: [UInt8]) {
        var w = Writer(little: little)
        switch value {
        case .short(let v):
            v.forEach { w.u16($0) }
            return (3, UInt32(v.count), w.bytes)
        case .long(let v):
            v.forEach { w.u32($0) }
            return (4, UInt32(v.count), w.bytes)
        case .rawLong(let v):
            w.u32(v)
            return (4, 1, w.bytes)
        case .ascii(let s):
            let b = Array(s.utf8) + [0]
            return (2, UInt32(b.count), b)
        case .rational(let v):
            v.forEach { w.u32($0.0); w.u32($0.1) }
            return (5, UInt32(v.count), w.bytes)
        }
    }

    static func blockSize(_ entries: [Entry], little: Bool) -> Int {
        entries.reduce(2 + 12 * entries.count + 4) { size, e in
            let d = encode(e.value, little: little).data
            return size + (d.count > 4 ? d.count + d.count % 2 : 0)
        }
    }

    /// One IFD at `offset`, its out-of-line values right after it.
    static func ifd(_ entries: [Entry], at offset: Int, next: UInt32, little: Bool, countOverride: UInt16? = nil) -> [UInt8] {
        let sorted = entries.sorted { $0.tag < $1.tag }
        var w = Writer(little: little)
        var extra: [UInt8] = []
        let dataStart = offset + 2 + 12 * sorted.count + 4
        w.u16(countOverride ?? UInt16(sorted.count))
        for e in sorted {
            let (type, count, data) = encode(e.value, little: little)
            w.u16(e.tag)
            w.u16(type)
            w.u32(count)
            if data.count <= 4 {
                w.bytes += data + [UInt8](repeating: 0, count: 4 - data.count)
            } else {
                w.u32(UInt32(dataStart + extra.count))
                extra += data + (data.count % 2 == 1 ? [0] : [])
            }
        }
        w.u32(next)
        return w.bytes + extra
    }

    /// A TIFF structure: IFD0 (with pointers to the Exif and GPS IFDs when given), then IFD1 holding the thumbnail.
    static func tiff(
        little: Bool, ifd0: [Entry] = [], exif: [Entry]? = nil, gps: [Entry]? = nil, thumbnail: [UInt8]? = nil,
        ifd0Next: UInt32? = nil, ifd0CountOverride: UInt16? = nil
    ) -> [UInt8] {
        var entries0 = ifd0
        if exif != nil { entries0.append((0x8769, .long([0]))) }
        if gps != nil { entries0.append((0x8825, .long([0]))) }
        let ifd0Offset = 8
        let exifOffset = ifd0Offset + blockSize(entries0, little: little)
        let gpsOffset = exifOffset + (exif.map { blockSize($0, little: little) } ?? 0)
        let ifd1Offset = gpsOffset + (gps.map { blockSize($0, little: little) } ?? 0)
        let ifd1: [Entry]? = thumbnail.map { [(0x0201, .long([0])), (0x0202, .long([UInt32($0.count)]))] }
        let thumbOffset = ifd1Offset + (ifd1.map { blockSize($0, little: little) } ?? 0)

        entries0 = entries0.map { e in
            switch e.tag {
            case 0x8769 where exif != nil: (e.tag, .long([UInt32(exifOffset)]))
            case 0x8825 where gps != nil: (e.tag, .long([UInt32(gpsOffset)]))
            default: e
            }
        }
        var w = Writer(little: little)
        w.bytes += little ? [0x49, 0x49] : [0x4D, 0x4D]
        w.u16(42)
        w.u32(UInt32(ifd0Offset))
        let next = ifd0Next ?? (thumbnail != nil ? UInt32(ifd1Offset) : 0)
        w.bytes += ifd(entries0, at: ifd0Offset, next: next, little: little, countOverride: ifd0CountOverride)
        if let exif { w.bytes += ifd(exif, at: exifOffset, next: 0, little: little) }
        if let gps { w.bytes += ifd(gps, at: gpsOffset, next: 0, little: little) }
        if let thumbnail, let ifd1 {
            let fixed = ifd1.map { $0.tag == 0x0201 ? ($0.tag, Value.long([UInt32(thumbOffset)])) : $0 }
            w.bytes += ifd(fixed, at: ifd1Offset, next: 0, little: little)
            w.bytes += thumbnail
        }
        return w.bytes
    }

    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let n = payload.count + 2
        return [0xFF, marker, UInt8(n >> 8), UInt8(n & 0xFF)] + payload
    }

    /// A well-formed JPEG stream: SOI, APP0 JFIF, the Exif APP1 when given, SOF0, SOS, a little scan data, EOI.
    static func jpeg(width: Int, height: Int, tiff: [UInt8]? = nil, beforeExif: [UInt8] = []) -> [UInt8] {
        var b: [UInt8] = [0xFF, 0xD8]
        b += segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        b += beforeExif
        if let tiff { b += segment(0xE1, Array("Exif".utf8) + [0, 0] + tiff) }
        let components: [UInt8] = [1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        b += segment(0xC0, [8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 3] + components)
        b += segment(0xDA, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0])
        b += [0x12, 0x34, 0xFF, 0x00, 0x56]  // scan data, with a stuffed 0xFF
        b += [0xFF, 0xD9]
        return b
    }

    static let thumbnail = jpeg(width: 160, height: 120)

    /// Degrees, minutes and seconds as three RATIONALs.
    static func dms(_ d: UInt32, _ m: UInt32, _ s: UInt32, _ sDen: UInt32 = 1) -> Value {
        let one: UInt32 = 1
        return .rational([(d, one), (m, one), (s, sDen)])
    }

    /// Shanghai People's Square: 31°13'50.4" N, 121°28'12" E.
    static let shanghaiGPS: [Entry] = [(0x0001, .ascii("N")), (0x0002, dms(31, 13, 504, 10)), (0x0003, .ascii("E")), (0x0004, dms(121, 28, 12))]

    /// Every tag the reader knows, in one file.
    static func full(little: Bool) -> [UInt8] {
        jpeg(
            width: 4032, height: 3024,
            tiff: tiff(
                little: little, ifd0: [(0x010F, .ascii("CityLoop Camera")), (0x0112, .short([6]))],
                exif: [(0x9003, .ascii("2024:05:01 10:30:00")), (0x9011, .ascii("+08:00"))], gps: shanghaiGPS,
                thumbnail: thumbnail))
    }

    static let png16x12 = Data(
        base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAABAAAAAMCAIAAADkharWAAAAFUlEQVR4nGM4YaNBEmIY1TCqATsCAO9q4QF9Lmn/AAAAAElFTkSuQmCC")!

    static func riff(_ chunks: [(String, [UInt8])]) -> [UInt8] {
        var body = Array("WEBP".utf8)
        for (fourcc, data) in chunks {
            let n = UInt32(data.count)
            body += Array(fourcc.utf8) + [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)] + data
            if data.count % 2 == 1 { body.append(0) }
        }
        let n = UInt32(body.count)
        return Array("RIFF".utf8) + [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)] + body
    }

    /// A deterministic pseudo-random byte source (SplitMix64).
    struct Noise {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }
}

@Suite("Image facts from evidence photos")
struct ImageFactsTests {
    fileprivate typealias F = ImageFixture

    static let may1At0230UTC = Date(timeIntervalSince1970: 1_714_530_600)

    @Test("a JPEG without EXIF gives its size and nothing else")
    func sizeOnly() {
        let facts = ImageFacts.read(Data(F.jpeg(width: 640, height: 480)))
        #expect(facts == ImageFacts(width: 640, height: 480))
    }

    @Test("orientation from IFD0, in both byte orders", arguments: [true, false])
    func orientation(little: Bool) {
        let data = Data(F.jpeg(width: 100, height: 50, tiff: F.tiff(little: little, ifd0: [(0x0112, .short([6]))])))
        let facts = ImageFacts.read(data)
        #expect(facts.orientation == 6)
        #expect(facts.width == 100 && facts.height == 50)
        #expect(facts.takenAt == nil && facts.location == nil && facts.thumbnail == nil)
    }

    @Test("an orientation outside 1...8 is ignored")
    func badOrientation() {
        let data = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: true, ifd0: [(0x0112, .short([9]))])))
        #expect(ImageFacts.read(data).orientation == nil)
    }

    @Test("DateTimeOriginal with OffsetTimeOriginal", arguments: [true, false])
    func dateWithOffset(little: Bool) {
        let exif: [F.Entry] = [(0x9003, .ascii("2024:05:01 10:30:00")), (0x9011, .ascii("-05:00"))]
        let data = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: little, exif: exif)))
        #expect(ImageFacts.read(data).takenAt == Date(timeIntervalSince1970: 1_714_577_400))
        // The offset in the file wins over the default.
        #expect(ImageFacts.read(data, defaultUTCOffsetSeconds: 0).takenAt == Date(timeIntervalSince1970: 1_714_577_400))
    }

    @Test("DateTimeOriginal without an offset is read in China Standard Time unless told otherwise", arguments: [true, false])
    func dateWithoutOffset(little: Bool) {
        let data = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: little, exif: [(0x9003, .ascii("2024:05:01 10:30:00"))])))
        #expect(ImageFacts.read(data).takenAt == Self.may1At0230UTC)
        #expect(ImageFacts.read(data, defaultUTCOffsetSeconds: 0).takenAt == Date(timeIntervalSince1970: 1_714_559_400))
        // An absurd default does not trap.
        #expect(ImageFacts.read(data, defaultUTCOffsetSeconds: .min).takenAt == nil)
    }

    @Test("a leap day, and a blank offset falls back to the default")
    func leapDayBlankOffset() {
        let exif: [F.Entry] = [(0x9003, .ascii("2024:02:29 23:59:59")), (0x9011, .ascii("   :  "))]
        let data = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: true, exif: exif)))
        #expect(ImageFacts.read(data, defaultUTCOffsetSeconds: 0).takenAt == Date(timeIntervalSince1970: 1_709_251_199))
    }

    @Test(
        "blank or impossible capture times are nil",
        arguments: [
            "0000:00:00 00:00:00", "    :  :     :  :  ", "2023:02:29 10:00:00", "2024:13:01 10:00:00", "2024:05:01 24:00:00",
            "2024:05:01 1 :30:00", "2024:05:01 10:3x:00", "2024:05:01",
        ])
    func badDates(text: String) {
        let data = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: true, exif: [(0x9003, .ascii(text))])))
        #expect(ImageFacts.read(data).takenAt == nil)
    }

    @Test("GPS north and east", arguments: [true, false])
    func gpsNorthEast(little: Bool) throws {
        let data = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: little, gps: F.shanghaiGPS)))
        let p = try #require(ImageFacts.read(data).location)
        #expect(abs(p.lat - (31 + 13.0 / 60 + 50.4 / 3600)) < 1e-9)
        #expect(abs(p.lon - (121 + 28.0 / 60 + 12.0 / 3600)) < 1e-9)
    }

    @Test("GPS south and west are negative", arguments: [true, false])
    func gpsSouthWest(little: Bool) throws {
        let gps: [F.Entry] = [(0x0001, .ascii("S")), (0x0002, F.dms(22, 54, 30)), (0x0003, .ascii("W")), (0x0004, F.dms(43, 11, 47))]
        let data = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: little, gps: gps)))
        let p = try #require(ImageFacts.read(data).location)
        #expect(abs(p.lat - -(22 + 54.0 / 60 + 30.0 / 3600)) < 1e-9)
        #expect(abs(p.lon - -(43 + 11.0 / 60 + 47.0 / 3600)) < 1e-9)
    }

    @Test("GPS that cannot be a place is nil")
    func badGPS() {
        let cases: [[F.Entry]] = [
            // a zero denominator
            [(0x0001, .ascii("N")), (0x0002, .rational([(31, 1), (13, 0), (0, 1)])), (0x0003, .ascii("E")), (0x0004, F.dms(121, 28, 12))],
            // latitude beyond 90°
            [(0x0001, .ascii("N")), (0x0002, F.dms(91, 0, 0)), (0x0003, .ascii("E")), (0x0004, F.dms(121, 28, 12))],
            // 60 minutes
            [(0x0001, .ascii("N")), (0x0002, F.dms(31, 60, 0)), (0x0003, .ascii("E")), (0x0004, F.dms(121, 28, 12))],
            // the 0,0 point a receiver without a fix writes
            [(0x0001, .ascii("N")), (0x0002, F.dms(0, 0, 0)), (0x0003, .ascii("E")), (0x0004, F.dms(0, 0, 0))],
            // no hemisphere
            [(0x0002, F.dms(31, 13, 50)), (0x0004, F.dms(121, 28, 12))],
            // a bad hemisphere
            [(0x0001, .ascii("X")), (0x0002, F.dms(31, 13, 50)), (0x0003, .ascii("E")), (0x0004, F.dms(121, 28, 12))],
            // longitude as SHORTs instead of RATIONALs
            [(0x0001, .ascii("N")), (0x0002, F.dms(31, 13, 50)), (0x0003, .ascii("E")), (0x0004, .short([121, 28, 12]))],
        ]
        for (i, gps) in cases.enumerated() {
            let data = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: i % 2 == 0, gps: gps)))
            let facts = ImageFacts.read(data)
            #expect(facts.location == nil, "case \(i)")
            #expect(facts.width == 10, "case \(i)")
        }
    }

    @Test("the embedded thumbnail comes out whole", arguments: [true, false])
    func thumbnail(little: Bool) throws {
        let data = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: little, ifd0: [(0x0112, .short([1]))], thumbnail: F.thumbnail)))
        let thumb = try #require(ImageFacts.read(data).thumbnail)
        #expect(thumb == Data(F.thumbnail))
        #expect(ImageFacts.read(thumb) == ImageFacts(width: 160, height: 120))
    }

    @Test("a thumbnail that is not a JPEG, or runs past the segment, is nil")
    func badThumbnail() {
        let notJPEG = Data(F.jpeg(width: 10, height: 10, tiff: F.tiff(little: true, thumbnail: [0x00, 0x01, 0x02, 0x03])))
        #expect(ImageFacts.read(notJPEG).thumbnail == nil)
        // IFD1 at 26 points at a JPEG start at 56 but claims 60,000 bytes.
        let ifd1: [F.Entry] = [(0x0201, .long([56])), (0x0202, .long([60_000]))]
        var tiff = F.tiff(little: true, ifd0: [(0x0112, .short([3]))], ifd0Next: 26)
        tiff += F.ifd(ifd1, at: 26, next: 0, little: true) + [0xFF, 0xD8, 0xFF, 0xD9]
        let long = ImageFacts.read(Data(F.jpeg(width: 10, height: 10, tiff: tiff)))
        #expect(long.orientation == 3)
        #expect(long.thumbnail == nil)
    }

    @Test("everything at once, in both byte orders", arguments: [true, false])
    func everything(little: Bool) throws {
        let facts = ImageFacts.read(Data(F.full(little: little)))
        #expect(facts.width == 4032 && facts.height == 3024)
        #expect(facts.orientation == 6)
        #expect(facts.takenAt == Self.may1At0230UTC)
        #expect(facts.location != nil)
        #expect(facts.thumbnail == Data(F.thumbnail))
    }

    @Test("fill bytes and other APP1 segments before the Exif one are skipped")
    func fillBytesAndXMP() throws {
        let xmp = F.segment(0xE1, Array("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>".utf8))
        var bytes = F.jpeg(width: 321, height: 123, tiff: F.tiff(little: false, ifd0: [(0x0112, .short([8]))]), beforeExif: xmp + [0xFF, 0xFF])
        // Fill bytes before SOF0 too.
        let sof = try #require(bytes.indices.dropLast().first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes.insert(contentsOf: [0xFF, 0xFF, 0xFF], at: sof)
        let facts = ImageFacts.read(Data(bytes))
        #expect(facts == ImageFacts(width: 321, height: 123, orientation: 8))
    }

    @Test("the facts of a slice of a larger buffer")
    func dataSlice() {
        let whole = Data([1, 2, 3] + F.full(little: true) + [4, 5])
        let slice = whole[3..<whole.count - 2]
        #expect(ImageFacts.read(slice) == ImageFacts.read(Data(F.full(little: true))))
    }

    @Test("a real PNG's size")
    func png() {
        #expect(ImageFacts.read(F.png16x12) == ImageFacts(width: 16, height: 12))
    }

    @Test("WebP sizes from VP8, VP8L and VP8X, and EXIF in VP8X")
    func webp() {
        // 400×300 lossy key frame: frame tag, start code, 14-bit sizes.
        let vp8 = F.riff([("VP8 ", [0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x90, 0x01, 0x2C, 0x01] + [UInt8](repeating: 0, count: 10))])
        #expect(ImageFacts.read(Data(vp8)) == ImageFacts(width: 400, height: 300))
        // 16×12 lossless: width-1 and height-1 in 14 bits each.
        let bits: UInt32 = 15 | 11 << 14
        let vp8l = F.riff([("VP8L", [0x2F, UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24), 0])])
        #expect(ImageFacts.read(Data(vp8l)) == ImageFacts(width: 16, height: 12))
        // 5000×3000 extended, with an EXIF chunk after the image.
        let (w, h) = (4999, 2999)
        let vp8x: [UInt8] = [
            0x08, 0, 0, 0, UInt8(w & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w >> 16), UInt8(h & 0xFF), UInt8(h >> 8 & 0xFF), UInt8(h >> 16),
        ]
        let exif = F.tiff(little: true, ifd0: [(0x0112, .short([3]))], exif: [(0x9003, .ascii("2024:05:01 10:30:00"))])
        let extended = F.riff([("VP8X", vp8x), ("VP8 ", [0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x88, 0x13, 0xB8, 0x0B]), ("EXIF", exif)])
        #expect(ImageFacts.read(Data(extended)) == ImageFacts(width: 5000, height: 3000, takenAt: Self.may1At0230UTC, orientation: 3))
    }

    @Test("GIF logical screen size")
    func gif() {
        let gif = Array("GIF89a".utf8) + [0x40, 0x01, 0xF0, 0x00, 0, 0, 0] + [0x3B]
        #expect(ImageFacts.read(Data(gif)) == ImageFacts(width: 320, height: 240))
    }

    @Test("anything else gives nothing")
    func unknown() {
        #expect(ImageFacts.read(Data()) == ImageFacts())
        #expect(ImageFacts.read(Data("hello, world".utf8)) == ImageFacts())
        #expect(ImageFacts.read(Data([0x00, 0x00, 0x00, 0x18] + Array("ftypmp42".utf8))) == ImageFacts())
    }

    // MARK: Robustness

    @Test("every prefix of a valid JPEG reads without crashing, and what it finds is right", arguments: [true, false])
    func truncated(little: Bool) {
        let bytes = F.full(little: little)
        let whole = ImageFacts.read(Data(bytes))
        for n in 0...bytes.count {
            let facts = ImageFacts.read(Data(bytes.prefix(n)))
            #expect(facts.width == nil || facts.width == whole.width, "prefix \(n)")
            #expect(facts.orientation == nil || facts.orientation == whole.orientation, "prefix \(n)")
            #expect(facts.takenAt == nil || facts.takenAt == whole.takenAt, "prefix \(n)")
            #expect(facts.location == nil || facts.location == whole.location, "prefix \(n)")
            #expect(facts.thumbnail == nil || facts.thumbnail == whole.thumbnail, "prefix \(n)")
        }
    }

    @Test("IFD offsets pointing to themselves terminate")
    func selfPointingIFD() {
        // IFD0 at offset 8 says its Exif IFD, its GPS IFD and the next IFD are all at 8.
        let tiff = F.tiff(little: true, ifd0: [(0x0112, .short([6])), (0x8769, .rawLong(8)), (0x8825, .rawLong(8))], ifd0Next: 8)
        let facts = ImageFacts.read(Data(F.jpeg(width: 10, height: 10, tiff: tiff)))
        #expect(facts == ImageFacts(width: 10, height: 10, orientation: 6))
        // IFD0 as its own IFD1: its thumbnail tags are not read a second time as IFD1's.
        let thumbAt = 8 + 2 + 12 * 3 + 4
        let own = F.tiff(
            little: true, ifd0: [(0x0112, .short([6])), (0x0201, .rawLong(UInt32(thumbAt))), (0x0202, .rawLong(UInt32(F.thumbnail.count)))],
            ifd0Next: 8) + F.thumbnail
        #expect(ImageFacts.read(Data(F.jpeg(width: 10, height: 10, tiff: own))) == ImageFacts(width: 10, height: 10, orientation: 6))
        // An Exif IFD that points back to IFD0 as its GPS IFD, next IFD pointing back to the Exif IFD.
        var loop = F.tiff(little: false, ifd0: [(0x8769, .rawLong(26))], ifd0Next: 26)
        loop += F.ifd([(0x8825, .rawLong(8)), (0x9003, .ascii("2024:05:01 10:30:00"))], at: 26, next: 8, little: false)
        let looped = ImageFacts.read(Data(F.jpeg(width: 10, height: 10, tiff: loop)))
        #expect(looped.takenAt == Self.may1At0230UTC)
        #expect(looped.location == nil && looped.thumbnail == nil)
    }

    @Test("a huge entry count is not believed")
    func hugeEntryCount() {
        let tiff = F.tiff(little: true, ifd0: [(0x0112, .short([6]))], ifd0CountOverride: 0xFFFF)
        #expect(ImageFacts.read(Data(F.jpeg(width: 10, height: 10, tiff: tiff))) == ImageFacts(width: 10, height: 10))
    }

    @Test("pointers and counts past the end are ignored")
    func pointersPastTheEnd() {
        let tiff = F.tiff(
            little: false, ifd0: [(0x0112, .short([2])), (0x8769, .rawLong(0xFFFF_FFF0)), (0x8825, .rawLong(0x7FFF_FFFF))],
            ifd0Next: 0xFFFF_FFFF)
        #expect(ImageFacts.read(Data(F.jpeg(width: 10, height: 10, tiff: tiff))) == ImageFacts(width: 10, height: 10, orientation: 2))
        // An Exif IFD at 26 whose date, at 44, claims four billion bytes.
        var exif = F.tiff(little: true, ifd0: [(0x8769, .rawLong(26))])
        exif += [1, 0, 0x03, 0x90, 2, 0, 0xFF, 0xFF, 0xFF, 0xFF, 44, 0, 0, 0, 0, 0, 0, 0]
        exif += Array("2024:05:01 10:30:00".utf8) + [UInt8](repeating: 0, count: 100)
        #expect(ImageFacts.read(Data(F.jpeg(width: 10, height: 10, tiff: exif))).takenAt == nil)
    }

    @Test("random bytes, alone and behind every known signature, read without crashing")
    func randomBytes() {
        var noise = F.Noise(state: 0x5EED)
        let heads: [[UInt8]] = [
            [], [0xFF, 0xD8], [0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00] + Array("Exif".utf8) + [0, 0, 0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0],
            [0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00] + Array("Exif".utf8) + [0, 0, 0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8],
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8X".utf8), Array("GIF89a".utf8),
        ]
        for head in heads {
            for length in [0, 1, 7, 64, 300, 4096] {
                for _ in 0..<20 {
                    _ = ImageFacts.read(Data(head + noise.bytes(length)))
                }
            }
        }
    }

    @Test("every single-byte corruption of a valid JPEG reads without crashing", arguments: [true, false])
    func corruptedBytes(little: Bool) {
        let bytes = F.full(little: little)
        for i in bytes.indices {
            for v: UInt8 in [0x00, 0x01, 0x7F, 0xFF, bytes[i] ^ 0x80] {
                var copy = bytes
                copy[i] = v
                let facts = ImageFacts.read(Data(copy))
                if let thumb = facts.thumbnail { #expect(thumb.starts(with: [0xFF, 0xD8])) }
                if let p = facts.location { #expect(p.isValid) }
                if let o = facts.orientation { #expect((1...8).contains(o)) }
            }
        }
    }
}
