@testable import CityLoopDomain
import Testing

@Suite("Strings")
struct JT808StringTests {
    @Test("ASCII is kept byte for byte")
    func ascii() {
        let value: JT808String = "LSVAU2180N2183294"
        #expect(value.bytes == Array("LSVAU2180N2183294".utf8))
        #expect(value.string == "LSVAU2180N2183294")
        #expect(value.description == "LSVAU2180N2183294")
    }

    @Test("Chinese plates encode and decode as GBK/GB18030", arguments: [
        ("豫A12345", [UInt8]([0xD4, 0xA5, 0x41, 0x31, 0x32, 0x33, 0x34, 0x35])),
        ("京A00001", [0xBE, 0xA9, 0x41, 0x30, 0x30, 0x30, 0x30, 0x31]),
        ("粤B·D1234", [0xD4, 0xC1, 0x42, 0xA1, 0xA4, 0x44, 0x31, 0x32, 0x33, 0x34]),
    ])
    func gbk(text: String, bytes: [UInt8]) {
        #expect(JT808String(text).bytes == bytes)
        #expect(JT808String(bytes: bytes).string == text)
    }

    @Test("undecodable bytes fall back to hexadecimal")
    func undecodable() {
        let value = JT808String(bytes: [0xFF, 0xFF, 0x0A])
        #expect(value.string == nil)
        #expect(value.hexString == "FFFF0A")
        #expect(value.description == "hex:FFFF0A")
    }

    @Test("trailing 0x00 padding is trimmed")
    func trimming() {
        #expect(JT808String(bytes: [0x41, 0x00, 0x42, 0x00, 0x00]).trimmingTrailingZeros().bytes == [0x41, 0x00, 0x42])
        #expect(JT808String(bytes: [0x00, 0x00]).trimmingTrailingZeros().bytes.isEmpty)
    }
}
