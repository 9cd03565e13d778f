@testable import CityLoopDomain
import Foundation

/// Shared sample values and helpers for the tests.
enum JT808Samples {
    /// 2026-12-06 08:30:00 GMT+8.
    static func sampleTime() throws -> JT808Timestamp {
        try JT808Timestamp(year: 2026, month: 12, day: 6, hour: 8, minute: 30, second: 0)
    }

    static func sampleLocation() throws -> JT808Location {
        var status: JT808LocationStatus = [.accOn, .positioned]
        status.loadState = .full
        return try JT808Location(
            latitude: 34.7466, longitude: 113.6254, speedKmh: 60.5, altitude: 100, direction: 90,
            time: sampleTime(), alarm: .overspeed, status: status,
            additionalItems: [.mileage(126), .satelliteCount(12)])
    }

    static func richLocation() throws -> JT808Location {
        try JT808Location(
            latitude: -33.868_82, longitude: -151.209_29, speedKmh: 0.1, altitude: 0x7E7D, direction: 359,
            time: JT808Timestamp(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59),
            alarm: [.emergency, .illegalDisplacement], status: .positioned,
            additionalItems: [
                .mileage(0x7E7D_7E7D), .fuel(505), .recorderSpeed(600), .signalStrength(31), .satelliteCount(9),
                .unknown(id: 0x25, value: [0, 0, 0, 1]), .unknown(id: 0xE1, value: []),
                .unknown(id: 0x01, value: [7, 7]),
            ])
    }

    /// One sample of every message type, with values that fit `version`.
    static func messages(for version: JT808Version) throws -> [JT808Message] {
        let v2019 = version == .v2019
        let registration = JT808Registration(
            provinceID: 41, cityID: 0x0100,
            manufacturerID: v2019 ? "MANUFACT011" : "70111",
            terminalModel: v2019 ? "CityLoop TM-8 GPS tracker 2019" : "TM-8 GPS",
            terminalID: v2019 ? "TERMINAL-ID-0000000000000000~}" : "A1B2C3D",
            plateColor: 1, plate: "豫A12345")
        let vinRegistration = JT808Registration(
            provinceID: 0, cityID: 0, manufacturerID: "", terminalModel: "", terminalID: "",
            plateColor: 0, plate: "LSVAU2180N2183294")
        let authentication = v2019
            ? JT808Authentication(authCode: "AUTH~}", imei: "861234567890123", softwareVersion: "V1.2.3")
            : JT808Authentication(authCode: "AUTH~}")
        return [
            .terminalGeneralReply(JT808GeneralReply(replySerialNumber: 0x1234, replyMessageID: 0x8103, result: .success)),
            .terminalGeneralReply(JT808GeneralReply(replySerialNumber: 0, replyMessageID: 0x8300, result: .unsupported)),
            .platformGeneralReply(JT808GeneralReply(replySerialNumber: 0x7E7D, replyMessageID: 0x0200, result: .alarmConfirmed)),
            .platformGeneralReply(JT808GeneralReply(replySerialNumber: 9, replyMessageID: 0x0900, result: JT808ReplyResult(rawValue: 200))),
            .heartbeat,
            .terminalLogout,
            .registration(registration),
            .registration(vinRegistration),
            .registrationReply(JT808RegistrationReply(replySerialNumber: 7, result: .success, authCode: "AUTH~}")),
            .registrationReply(JT808RegistrationReply(replySerialNumber: 8, result: .terminalNotFound)),
            .registrationReply(JT808RegistrationReply(replySerialNumber: 8, result: .success)),
            .authentication(authentication),
            .locationReport(try sampleLocation()),
            .locationReport(try richLocation()),
            .batchLocationUpload(JT808BatchLocation(type: .blindAreaResend, locations: [try sampleLocation(), try richLocation()])),
            .batchLocationUpload(JT808BatchLocation(type: .regular, locations: [])),
            .unknown(messageID: 0x0900, body: [0x7E, 0x7D, 0x00, 0xFF]),
            .unknown(messageID: 0x8003, body: []),
        ]
    }

    /// Wire bytes (with delimiters) of every sample message, with varied phone numbers and serial numbers.
    static func sampleFrames() throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        for version in JT808Version.allCases {
            for (index, message) in try messages(for: version).enumerated() {
                let frame = try JT808Frame(
                    message: message, phoneNumber: "1391234567\(index % 10)", serialNumber: UInt16(0x7E70 + index),
                    version: version)
                frames.append(frame.encode())
            }
        }
        return frames
    }

    /// Escaped frame content (no delimiters) for unescaped header+body bytes, with a correct check code.
    ///
    /// Written independently of the library's escaping so known vectors are checked against a second implementation.
    static func content(raw: [UInt8]) -> [UInt8] {
        var checksum: UInt8 = 0
        for byte in raw { checksum ^= byte }
        var output: [UInt8] = []
        for byte in raw + [checksum] {
            if byte == 0x7E {
                output += [0x7D, 0x02]
            } else if byte == 0x7D {
                output += [0x7D, 0x01]
            } else {
                output.append(byte)
            }
        }
        return output
    }

    /// Splits `bytes` with a fresh splitter and returns all frame contents.
    static func split(_ bytes: [UInt8]) throws(JT808Error) -> [[UInt8]] {
        var splitter = JT808FrameSplitter()
        splitter.append(bytes)
        var contents: [[UInt8]] = []
        while let content = try splitter.next() {
            contents.append(content)
        }
        return contents
    }
}
