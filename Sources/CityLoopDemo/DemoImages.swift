import Foundation

/// Pictures for the demo and the tests: a valid PNG of one colour, written without an image library (stored,
/// uncompressed zlib blocks with real CRCs and Adler-32), which ImageMagick and browsers read.
public enum DemoImages {
    /// A `width`×`height` PNG of one RGB colour; sides of 1…256 pixels.
    public static func png(width: Int = 1, height: Int = 1, red: UInt8 = 200, green: UInt8 = 40, blue: UInt8 = 40) -> Data {
        let w = min(max(width, 1), 256), h = min(max(height, 1), 256)
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func crc32(_ bytes: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            }
            return c ^ 0xFFFF_FFFF
        }
        func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + payload
            return be32(UInt32(payload.count)) + typed + be32(crc32(typed))
        }
        // Each row: the filter byte, then the pixels.
        let row: [UInt8] = [0] + Array([[UInt8]](repeating: [red, green, blue], count: w).joined())
        let raw = Array([[UInt8]](repeating: row, count: h).joined())
        var a: UInt32 = 1, b: UInt32 = 0
        for x in raw {
            a = (a + UInt32(x)) % 65521
            b = (b + a) % 65521
        }
        // Stored deflate blocks of at most 65,535 bytes each.
        var zlib: [UInt8] = [0x78, 0x01]
        var at = 0
        repeat {
            let n = min(65_535, raw.count - at)
            let last: UInt8 = at + n == raw.count ? 1 : 0
            zlib += [last, UInt8(n & 0xFF), UInt8(n >> 8), ~UInt8(n & 0xFF), ~UInt8(n >> 8)] + raw[at..<(at + n)]
            at += n
        } while at < raw.count
        zlib += be32(b << 16 | a)
        let header: [UInt8] = be32(UInt32(w)) + be32(UInt32(h)) + [8, 2, 0, 0, 0]
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", []))
    }
}
