@testable import CityLoopDomain
import Testing

@Suite("Frames")
struct JT808FrameTests {
    // Hand-computed: 00 02 | 00 00 | 01 39 12 34 56 78 | 00 01, XOR = 0x33.
    static let heartbeat2013: [UInt8] = [
        0x7E, 0x00, 0x02, 0x00, 0x00, 0x01, 0x39, 0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x33, 0x7E,
    ]

    // Serial 0x7E7D is escaped to 7D 02 7D 01; XOR = 0x32 ^ 0x7E ^ 0x7D = 0x31.
    static let heartbeatEscaped: [UInt8] = [
        0x7E, 0x00, 0x02, 0x00, 0x00, 0x01, 0x39, 0x12, 0x34, 0x56, 0x78, 0x7D, 0x02, 0x7D, 0x01, 0x31, 0x7E,
    ]

    // 2019: properties 0x4000, protocol version 1, BCD[10] phone; XOR = 0x72.
    static let heartbeat2019: [UInt8] = [
        0x7E, 0x00, 0x02, 0x40, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x39, 0x12, 0x34, 0x56, 0x78,
        0x00, 0x01, 0x72, 0x7E,
    ]

    @Test("2013 heartbeat from 013912345678, serial 1, matches the hand-computed bytes")
    func heartbeatVector() throws {
        let frame = try JT808Frame(message: .heartbeat, phoneNumber: "013912345678", serialNumber: 1)
        #expect(frame.encode() == Self.heartbeat2013)
        let decoded = try JT808Frame.decode(Self.heartbeat2013.dropFirst().dropLast())
        #expect(decoded == frame)
        #expect(try decoded.decodeMessage() == .heartbeat)
    }

    @Test("serial number 0x7E7D forces escaping of both special bytes")
    func escapingVector() throws {
        let frame = try JT808Frame(message: .heartbeat, phoneNumber: "13912345678", serialNumber: 0x7E7D)
        #expect(frame.encode() == Self.heartbeatEscaped)
        #expect(try JT808Frame.decode(Self.heartbeatEscaped.dropFirst().dropLast()).header.serialNumber == 0x7E7D)
    }

    @Test("2019 heartbeat matches the hand-computed bytes")
    func heartbeat2019Vector() throws {
        let frame = try JT808Frame(
            message: .heartbeat, phoneNumber: "13912345678", serialNumber: 1, version: .v2019, protocolVersion: 1)
        #expect(frame.encode() == Self.heartbeat2019)
        #expect(try JT808Frame.decode(Self.heartbeat2019.dropFirst().dropLast()) == frame)
    }

    @Test("header properties: subpackage, encryption and version bits")
    func headerProperties() throws {
        let header = try JT808Header(
            messageID: 0x0704, phoneNumber: "1", serialNumber: 2, version: .v2019, protocolVersion: 3, encryption: 1,
            subpackage: JT808Subpackage(total: 2, index: 1))
        let bytes = try JT808Frame(header: header, body: [0xAB]).encode()
        // 0x4000 version | 0x2000 subpackage | 0x0400 RSA | length 1.
        #expect(Array(bytes[1...5]) == [0x07, 0x04, 0x64, 0x01, 0x03])
        #expect(Array(bytes[18...22]) == [0x00, 0x02, 0x00, 0x01, 0xAB])
        let decoded = try JT808Frame.decode(bytes.dropFirst().dropLast())
        #expect(decoded.header == header)
        #expect(decoded.header.phoneNumber == "00000000000000000001")
    }

    @Test("header creation validates its values")
    func headerValidation() {
        #expect(throws: JT808Error.invalidBCD(field: "phoneNumber")) {
            try JT808Header(messageID: 2, phoneNumber: "139-1234", serialNumber: 1)
        }
        #expect(throws: JT808Error.fieldTooLong(field: "phoneNumber", maximum: 12)) {
            try JT808Header(messageID: 2, phoneNumber: "1234567890123", serialNumber: 1)
        }
        #expect(throws: JT808Error.invalidValue(field: "encryption")) {
            try JT808Header(messageID: 2, phoneNumber: "1", serialNumber: 1, encryption: 8)
        }
        #expect(throws: Never.self) {
            try JT808Header(messageID: 2, phoneNumber: "12345678901234567890", serialNumber: 1, version: .v2019)
        }
    }

    @Test("bodies over 1023 bytes are rejected")
    func bodyTooLong() throws {
        let header = try JT808Header(messageID: 0x0900, phoneNumber: "1", serialNumber: 1)
        #expect(throws: JT808Error.fieldTooLong(field: "body", maximum: 1023)) {
            try JT808Frame(header: header, body: [UInt8](repeating: 0, count: 1024))
        }
        let largest = try JT808Frame(header: header, body: [UInt8](repeating: 0x7E, count: 1023))
        let content = try JT808Samples.split(largest.encode())
        #expect(content[0].count == 12 + 2 * 1023 + 1)
        #expect(try JT808Frame.decode(content[0]) == largest)
    }

    @Test("a wrong check code is reported with both values")
    func badChecksum() {
        var content = Array(Self.heartbeat2013.dropFirst().dropLast())
        content[content.count - 1] = 0x34
        #expect(throws: JT808Error.badChecksum(expected: 0x33, found: 0x34)) { try JT808Frame.decode(content) }
        content[4] ^= 0x01
        #expect(throws: JT808Error.badChecksum(expected: 0x32, found: 0x34)) { try JT808Frame.decode(content) }
    }

    @Test("bad escapes are rejected", arguments: [
        [UInt8]([0x00, 0x02, 0x7D, 0x03]) + [UInt8](repeating: 0x01, count: 12),
        [0x00, 0x02, 0x7D, 0x00] + [UInt8](repeating: 0x01, count: 12),
        [0x00, 0x02, 0x7D, 0x7D] + [UInt8](repeating: 0x01, count: 12),
        [0x00, 0x7E, 0x02] + [UInt8](repeating: 0x01, count: 12),
        [UInt8](repeating: 0x01, count: 14) + [0x7D],
    ])
    func badEscape(content: [UInt8]) {
        #expect(throws: JT808Error.badEscape) { try JT808Frame.decode(content) }
    }

    @Test("frames shorter than a header plus check code are too short")
    func tooShort() {
        #expect(throws: JT808Error.tooShort) { try JT808Frame.decode([UInt8]()) }
        #expect(throws: JT808Error.tooShort) { try JT808Frame.decode(Array(Self.heartbeat2013[1..<13])) }
        // 13 escaped bytes that unescape to 12.
        #expect(throws: JT808Error.tooShort) {
            try JT808Frame.decode([0x7D, 0x01] + [UInt8](repeating: 0, count: 11))
        }
    }

    @Test("truncated headers name the missing field")
    func truncatedHeaders() {
        let phone: [UInt8] = [0x01, 0x39, 0x12, 0x34, 0x56, 0x78]
        // 2019 flag: needs 17 header bytes, only 12 present.
        #expect(throws: JT808Error.truncated(field: "phoneNumber")) {
            try JT808Frame.decode(JT808Samples.content(raw: [0x00, 0x02, 0x40, 0x00, 0x01] + phone + [0x00]))
        }
        #expect(throws: JT808Error.truncated(field: "serialNumber")) {
            try JT808Frame.decode(JT808Samples.content(raw: [0x00, 0x02, 0x40, 0x00, 0x01] + phone + [0, 0, 0, 0, 0x01]))
        }
        // Subpackage flag: total and index missing.
        #expect(throws: JT808Error.truncated(field: "subpackageTotal")) {
            try JT808Frame.decode(JT808Samples.content(raw: [0x00, 0x02, 0x20, 0x00] + phone + [0x00, 0x01]))
        }
        #expect(throws: JT808Error.truncated(field: "subpackageIndex")) {
            try JT808Frame.decode(JT808Samples.content(raw: [0x00, 0x02, 0x20, 0x00] + phone + [0x00, 0x01, 0x00, 0x02]))
        }
    }

    @Test("the declared body length must match the body")
    func lengthMismatch() {
        let header: [UInt8] = [0x01, 0x39, 0x12, 0x34, 0x56, 0x78, 0x00, 0x01]
        #expect(throws: JT808Error.lengthMismatch(declared: 1, actual: 0)) {
            try JT808Frame.decode(JT808Samples.content(raw: [0x00, 0x02, 0x00, 0x01] + header))
        }
        #expect(throws: JT808Error.lengthMismatch(declared: 0, actual: 2)) {
            try JT808Frame.decode(JT808Samples.content(raw: [0x00, 0x02, 0x00, 0x00] + header + [0xAA, 0xBB]))
        }
        #expect(throws: JT808Error.lengthMismatch(declared: 1023, actual: 3)) {
            try JT808Frame.decode(JT808Samples.content(raw: [0x00, 0x02, 0x03, 0xFF] + header + [1, 2, 3]))
        }
    }

    @Test("a phone number with a nibble above 9 is invalid BCD")
    func invalidPhoneBCD() {
        #expect(throws: JT808Error.invalidBCD(field: "phoneNumber")) {
            try JT808Frame.decode(JT808Samples.content(raw: [0x00, 0x02, 0x00, 0x00, 0x01, 0x39, 0x1A, 0x34, 0x56, 0x78, 0x00, 0x01]))
        }
    }

    @Test("every error has a readable description")
    func descriptions() {
        let errors: [JT808Error] = [
            .badEscape, .badChecksum(expected: 0x0A, found: 0xB0), .truncated(field: "x"),
            .lengthMismatch(declared: 1, actual: 2), .frameTooLong, .invalidBCD(field: "time"), .invalidTime,
            .encrypted, .tooShort, .subpackageFragment, .fieldTooLong(field: "body", maximum: 1023),
            .invalidValue(field: "latitude"),
        ]
        for error in errors {
            #expect(error.description.hasPrefix("JT808: "))
        }
        #expect(JT808Error.badChecksum(expected: 0x0A, found: 0xB0).description.contains("0x0A"))
        #expect(JT808Error.badChecksum(expected: 0x0A, found: 0xB0).description.contains("0xB0"))
    }
}
