import CityLoopDemo
import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// Readings files for back-fill (历史数据补录): both CSV forms read exactly, bad lines named by their line, and
/// random or mutated bytes never crash the reader nor yield a dirty reading.
@Suite struct ReadingFileTests {
    static let at = Date(timeIntervalSince1970: 1_796_529_600)

    @Test func theLongAndTheWideFormReadTheSameReadings() throws {
        let long = "\u{FEFF}device,at,measurement,value,unit\r\nWL-0001,1796529600000,measuredDistance,4.5,m\r\nMC-0001,2026-12-06T04:40:00Z,coverState,open,\r\n"
        let (a, pa) = try ReadingFile.csv(long)
        #expect(pa.isEmpty)
        #expect(a == [
            RawReading(deviceID: "WL-0001", measurement: "measuredDistance", at: Self.at, number: 4.5, unit: "m"),
            RawReading(deviceID: "MC-0001", measurement: "coverState", at: Date(timeIntervalSince1970: 1_796_532_000), state: "open"),
        ])
        let wide = "device,at,tiltAngle,coverState\nMC-0001,1796529600000,12.5,closed\nMC-0002,1796529600000,,open\n"
        let (b, pb) = try ReadingFile.csv(wide)
        #expect(pb.isEmpty)
        #expect(b == [
            RawReading(deviceID: "MC-0001", measurement: "tiltAngle", at: Self.at, number: 12.5),
            RawReading(deviceID: "MC-0001", measurement: "coverState", at: Self.at, state: "closed"),
            RawReading(deviceID: "MC-0002", measurement: "coverState", at: Self.at, state: "open"),
        ])
    }

    @Test func badLinesAreNamedByLineAndTheOthersKept() throws {
        let text = """
            device,at,measurement,value
            WL-0001,yesterday,measuredDistance,4
            WL 1,1796529600000,measuredDistance,4
            WL-0001,1796529600000,measuredDistance,1e999
            WL-0001,1796529600000,measured distance,4
            WL-0001,1796529600000,measuredDistance,
            "WL-0001",1796529600000,measuredDistance,"4.25"
            WL-0001,1796529600000,measuredDistance,"4
            """
        let (readings, problems) = try ReadingFile.csv(text)
        #expect(readings == [RawReading(deviceID: "WL-0001", measurement: "measuredDistance", at: Self.at, number: 4.25)])
        #expect(problems.map(\.line) == [2, 3, 4, 5, 6, 8], "\(problems)")
        #expect(problems.map(\.field) == ["at", "device", "value", "measurement", "value", "line"], "\(problems)")
        #expect(problems[1].device == nil && problems[0].device == "WL-0001")
    }

    @Test func aFileWithoutItsColumnsIsRefusedAsAWhole() {
        for text in ["", "WL-0001,1796529600000,measuredDistance,4", "device,at\nWL-0001,1", "device,at,bad column\nx,1,2"] {
            #expect(throws: DomainError.self) { try ReadingFile.csv(text) }
            #expect((try? ReadingFile.csv(text)) == nil)
        }
        #expect(throws: DomainError.self) { try ReadingFile.json(Data("device,at".utf8)) }
    }

    @Test func randomAndMutatedFilesNeverCrashAndNeverYieldDirtyReadings() {
        var rng = DemoRandom(seed: 15, stream: 3)
        let base = Array("device,at,measurement,value,unit\nWL-0001,1796529600000,measuredDistance,4.5,m\nMC-0001,2026-12-06T04:40:00Z,coverState,open,\n".utf8)
        let odd: [UInt8] = [0, 7, 0x0A, 0x0D, 0x7F, 0xC3, 0xFF, UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "9"), UInt8(ascii: "e")]
        for i in 0..<4000 {
            let bytes = i % 4 == 0
                ? Array(base.prefix(33)) + (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                : ReadingPayloadFuzzTests.mutate(base, with: odd, &rng)
            do {
                let (readings, problems) = try ReadingFile.csv(String(decoding: bytes, as: UTF8.self))
                for r in readings {
                    #expect(ReadingPayload.isName(r.deviceID, max: 64) && ReadingPayload.isName(r.measurement, max: 48))
                    if let n = r.number { #expect(n.isFinite) }
                    if let s = r.state { #expect(ReadingPayload.isName(s, max: 48)) }
                    if let u = r.unit { #expect(u.utf8.count <= 16 && TextRules.firstRefused(in: u) == nil) }
                    #expect((r.number == nil) != (r.state == nil))
                }
                for p in problems { #expect(p.line >= 2 && !p.field.isEmpty && !p.message.isEmpty) }
            } catch let e as DomainError {
                #expect(e.field == "body", "\(e)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func aMosquittoPasswordIsTheOneMosquittoPasswdWrites() {
        // `mosquitto_passwd -b file dev1 secret123` wrote this line.
        let salt = Array(Data(base64Encoded: "BDYoQCsKHJIJvFcx")!)
        #expect(MosquittoPassword.hash("secret123", salt: salt)
            == "$7$101$BDYoQCsKHJIJvFcx$KVX++dRUqmPh/geDQcpaQU9A5K4sqBoFgKlidXxPofy3cFSjk7GFxwSqlRwzengLjUnnsvML4qP6TGH3NlQhhg==")
        #expect(MosquittoPassword.hash("secret123") != MosquittoPassword.hash("secret123"), "a new salt each time")
    }
}
