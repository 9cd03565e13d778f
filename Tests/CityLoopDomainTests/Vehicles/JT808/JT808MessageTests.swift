@testable import CityLoopDomain
import Testing

@Suite("Messages")
struct JT808MessageTests {
    @Test("every message round-trips through encode, split and decode", arguments: JT808Version.allCases)
    func roundTrip(version: JT808Version) throws {
        for (index, message) in try JT808Samples.messages(for: version).enumerated() {
            let frame = try JT808Frame(
                message: message, phoneNumber: "13912345678", serialNumber: UInt16(0x7E7D + index), version: version)
            let contents = try JT808Samples.split(frame.encode())
            try #require(contents.count == 1)
            let decoded = try JT808Frame.decode(contents[0])
            #expect(decoded == frame)
            #expect(decoded.header.messageID == message.messageID)
            #expect(decoded.header.version == version)
            #expect(decoded.header.serialNumber == UInt16(0x7E7D + index))
            #expect(try decoded.decodeMessage() == message, "\(message)")
        }
    }

    @Test("the phone number is kept with leading zeros at the version's width")
    func phoneNumberWidth() throws {
        let v2013 = try JT808Frame(message: .heartbeat, phoneNumber: "13912345678", serialNumber: 1)
        #expect(v2013.header.phoneNumber == "013912345678")
        #expect(v2013.header.protocolVersion == 0)
        let v2019 = try JT808Frame(
            message: .heartbeat, phoneNumber: "13912345678", serialNumber: 1, version: .v2019, protocolVersion: 1)
        #expect(v2019.header.phoneNumber == "00000000013912345678")
        #expect(try JT808Frame.decode(JT808Samples.split(v2019.encode())[0]).header.protocolVersion == 1)
    }

    @Test("registration body layout differs between 2013 and 2019")
    func registrationLayout() throws {
        guard case .registration(let registration) = try JT808Samples.messages(for: .v2013)[6] else {
            Issue.record("fixture order changed")
            return
        }
        let message = JT808Message.registration(registration)
        let body2013 = try message.encodeBody(version: .v2013)
        #expect(body2013.count == 37 + 8)
        #expect(Array(body2013[0..<4]) == [0x00, 0x29, 0x01, 0x00])
        #expect(Array(body2013[4..<9]) == Array("70111".utf8))
        #expect(Array(body2013[9..<29]) == Array("TM-8 GPS".utf8) + [UInt8](repeating: 0, count: 12))
        #expect(Array(body2013[36...]) == [0x01, 0xD4, 0xA5, 0x41, 0x31, 0x32, 0x33, 0x34, 0x35])
        let body2019 = try message.encodeBody(version: .v2019)
        #expect(body2019.count == 76 + 8)
        #expect(try JT808Message.decode(messageID: 0x0100, version: .v2019, body: body2019) == message)
    }

    @Test("2013 fixed-width fields that are too long are rejected when encoding")
    func registrationTooLong() throws {
        let message = try JT808Samples.messages(for: .v2019)[6]
        #expect(throws: JT808Error.fieldTooLong(field: "manufacturerID", maximum: 5)) {
            try message.encodeBody(version: .v2013)
        }
        let longCode = JT808Authentication(authCode: JT808String(bytes: [UInt8](repeating: 0x41, count: 256)))
        #expect(throws: JT808Error.fieldTooLong(field: "authCode", maximum: 255)) {
            try JT808Message.authentication(longCode).encodeBody(version: .v2019)
        }
        #expect(try JT808Message.authentication(longCode).encodeBody(version: .v2013).count == 256)
    }

    @Test("2019 authentication body: length-prefixed code, IMEI and padded software version")
    func authentication2019Layout() throws {
        let body = try JT808Message.authentication(
            JT808Authentication(authCode: "AB", imei: "861234567890123", softwareVersion: "V1")
        ).encodeBody(version: .v2019)
        #expect(body == [2, 0x41, 0x42] + Array("861234567890123".utf8) + [0x56, 0x31] + [UInt8](repeating: 0, count: 18))
    }

    @Test("registration reply carries the auth code only on success")
    func registrationReply() throws {
        let rejected = JT808RegistrationReply(replySerialNumber: 5, result: .vehicleAlreadyRegistered, authCode: "X")
        #expect(rejected.authCode.bytes.isEmpty)
        #expect(try JT808Message.registrationReply(rejected).encodeBody(version: .v2013) == [0, 5, 1])
        let decoded = try JT808Message.decode(messageID: 0x8100, version: .v2013, body: [0, 5, 1, 0x41])
        #expect(decoded == .registrationReply(rejected))
        let accepted = try JT808Message.decode(messageID: 0x8100, version: .v2013, body: [0, 5, 0, 0x41, 0x42])
        #expect(accepted == .registrationReply(JT808RegistrationReply(replySerialNumber: 5, result: .success, authCode: "AB")))
    }

    @Test("platform general reply answering a header")
    func generalReplyAnswering() throws {
        let header = try JT808Header(messageID: 0x0900, phoneNumber: "1", serialNumber: 0x0102)
        let reply = JT808GeneralReply(answering: header, result: .unsupported)
        #expect(try JT808Message.platformGeneralReply(reply).encodeBody(version: .v2013) == [0x01, 0x02, 0x09, 0x00, 0x03])
    }

    @Test("unknown message IDs keep their body")
    func unknownMessage() throws {
        let decoded = try JT808Message.decode(messageID: 0x0F01, version: .v2019, body: [1, 2, 3])
        #expect(decoded == .unknown(messageID: 0x0F01, body: [1, 2, 3]))
        #expect(decoded.messageID == 0x0F01)
    }

    @Test("trailing bytes after fixed layouts are ignored")
    func trailingBytes() throws {
        #expect(try JT808Message.decode(messageID: 0x0002, version: .v2013, body: [1]) == .heartbeat)
        let reply = try JT808Message.decode(messageID: 0x0001, version: .v2013, body: [0, 1, 0x81, 0x00, 0, 9])
        #expect(reply == .terminalGeneralReply(JT808GeneralReply(replySerialNumber: 1, replyMessageID: 0x8100, result: .success)))
    }

    @Test("truncated bodies name the missing field")
    func truncatedBodies() throws {
        let cases: [(UInt16, JT808Version, [UInt8], String)] = [
            (0x0001, .v2013, [0, 1, 0x81, 0x00], "result"),
            (0x8001, .v2013, [0], "replySerialNumber"),
            (0x0100, .v2013, [0, 41, 1, 0] + [UInt8](repeating: 0x41, count: 31), "terminalID"),
            (0x0100, .v2019, [0, 41, 1, 0] + [UInt8](repeating: 0x41, count: 71), "plateColor"),
            (0x8100, .v2013, [0, 1], "result"),
            (0x0102, .v2019, [5, 0x41, 0x42], "authCode"),
            (0x0102, .v2019, [1, 0x41] + [UInt8](repeating: 0x31, count: 15) + [0x56], "softwareVersion"),
            (0x0200, .v2013, [UInt8](repeating: 0, count: 10), "latitude"),
            (0x0704, .v2013, [0, 2, 1, 0, 1], "batchItem"),
            (0x0704, .v2013, [0, 1], "batchType"),
        ]
        for (messageID, version, body, field) in cases {
            #expect(throws: JT808Error.truncated(field: field)) {
                try JT808Message.decode(messageID: messageID, version: version, body: body)
            }
        }
    }

    @Test("encrypted and subpackaged frames are not decoded as messages")
    func encryptedAndSubpackaged() throws {
        let encrypted = try JT808Frame(
            header: JT808Header(messageID: 0x0200, phoneNumber: "13912345678", serialNumber: 3, encryption: 1),
            body: [1, 2, 3])
        let decoded = try JT808Frame.decode(JT808Samples.split(encrypted.encode())[0])
        #expect(decoded.header.isRSAEncrypted)
        #expect(decoded.body == [1, 2, 3])
        #expect(throws: JT808Error.encrypted) { try decoded.decodeMessage() }

        let fragment = try JT808Frame(
            header: JT808Header(
                messageID: 0x0704, phoneNumber: "13912345678", serialNumber: 4, version: .v2019,
                subpackage: JT808Subpackage(total: 3, index: 2)),
            body: [0xAA, 0x7E])
        let decodedFragment = try JT808Frame.decode(JT808Samples.split(fragment.encode())[0])
        #expect(decodedFragment.header.subpackage == JT808Subpackage(total: 3, index: 2))
        #expect(decodedFragment.body == [0xAA, 0x7E])
        #expect(throws: JT808Error.subpackageFragment) { try decodedFragment.decodeMessage() }
    }
}
