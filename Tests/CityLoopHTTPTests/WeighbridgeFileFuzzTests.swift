import CityLoopDemo
import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// The weighbridge CSV reader under random and mutated files: it never crashes, reads a well-formed file exactly,
/// and refuses what it cannot read as invalid input naming the body or a ticket's field.
@Suite struct WeighbridgeFileFuzzTests {
    static let valid = """
        number,siteID,vehicleID,plate,weighedAt,grossKg,tareKg,material
        A-1,DS-1,T-1,,2026-12-05T08:30:00+08:00,31000,13000,渣土
        A-2,DS-1,,"豫A D1234",2026-12-05 09:15,28000.5,12000,
        """

    static func read(_ text: String) {
        do {
            let tickets = try WeighbridgeFile.csv(text)
            #expect(tickets.count <= text.count)
        } catch let e as DomainError {
            #expect(e.kind == .invalidInput && (e.field == "body" || e.field?.hasPrefix("[") == true), "\(e)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aWellFormedFileIsReadExactly() throws {
        let tickets = try WeighbridgeFile.csv(Self.valid)
        #expect(tickets.map(\.number) == ["A-1", "A-2"])
        #expect(tickets[0].vehicleID == "T-1" && tickets[0].plate == nil && tickets[0].netKg == 18_000)
        #expect(tickets[1].vehicleID == nil && tickets[1].plate == "豫A D1234" && tickets[1].material == nil)
        // Both times are in China Standard Time: 08:30 and 09:15 on 5 December 2026.
        #expect(tickets[0].weighedAt == Date(timeIntervalSince1970: 1_796_430_600))
        #expect(tickets[1].weighedAt.timeIntervalSince(tickets[0].weighedAt) == 45 * 60)
    }

    @Test func randomAndMutatedFilesNeverCrashTheReader() {
        var rng = DemoRandom(seed: 2026, stream: 31)
        let alphabet = Array("abc,\"\n\r 0123456789-:T+.豫\u{0}\u{FEFF}")
        for _ in 0..<2000 {
            Self.read(String((0..<Int(rng.next() % 300)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        let valid = Array(Self.valid)
        for _ in 0..<5000 {
            var chars = valid
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(chars.count))
                switch rng.next() % 3 {
                case 0: chars[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: chars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                default: chars.remove(at: at)
                }
            }
            Self.read(String(chars))
        }
        // Random bytes read as UTF-8 with replacement, as the route reads a body.
        for _ in 0..<1000 {
            Self.read(String(decoding: (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, as: UTF8.self))
        }
    }
}
