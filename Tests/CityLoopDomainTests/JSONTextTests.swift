import Foundation
import Testing

@testable import CityLoopDomain

/// The hand-written JSON of the intake path must be exactly what `JSONEncoder` writes, for both the stored
/// form (milliseconds) and the API form (ISO 8601), or clients and stored data would see a difference.
@Suite("Hand-written JSON equals JSONEncoder")
struct JSONTextTests {
    static let awkward = "a/b\"c\\d\u{1}\u{1f}\n\r\t\u{8}\u{c}\u{7f}\u{2028} 中文 é😀"

    /// Records with every optional field absent, every one present, and awkward text and numbers.
    static func records() -> [CaseRecord] {
        let placement = Placement(grid: UnitGrid(code: "410102001001001", boundary: Polygon(outer: [])))
        let bare = CaseRecord(
            id: "0190a3c2-7d1e-7abc-8def-0123456789ab", source: .inspector, matterCode: "06010", description: "x",
            point: GeoPoint(lat: 34.75, lon: 113.65), placement: placement, state: .pendingFiling,
            createdAt: Date(timeIntervalSince1970: 1_783_299_600))
        var full = bare
        full.number = "E0601020260706" + "00017"
        full.clientRequestID = awkward
        full.componentID = "41010200100100101"
        full.description = awkward
        full.address = "金水路 1 号 / No. 1"
        full.point = GeoPoint(lat: -0.0, lon: 1e-7)
        full.urgency = .urgent
        full.state = .suspended
        full.resumeState = .inProgress
        full.leadDepartmentID = "sanitation"
        full.assistingDepartmentIDs = ["municipal", DepartmentID(awkward)]
        full.noOwner = true
        full.reporters = [
            Reporter(userID: "u-1", name: "张三", phone: "13812345678", email: "zhang@example.cn", source: .citizen, caseID: bare.id),
            Reporter(
                userID: "u-12345", name: "李四", phone: "13900000000", source: .hotline, ticket: "RX-2026-0001",
                ticketDueAt: Date(timeIntervalSince1970: 1_795_000_000.123), callbackURL: "http://127.0.0.1:9/cb?x=1&y=\"2\""),
            Reporter(source: .hotline),
        ]
        full.evidence = ["m-1", awkward]
        full.createdAt = Date(timeIntervalSince1970: 1_783_299_600.123)
        full.updatedAt = Date(timeIntervalSince1970: 1_783_299_600.1234567)
        full.stepDueAt = Date(timeIntervalSince1970: -1.5)
        full.handlingDueAt = Date(timeIntervalSince1970: 4_102_444_799)
        full.handlingLimitMinutes = 480
        full.pendingExtensionHours = 24
        full.reworkCount = 2
        full.urgeCount = 3
        full.supervised = true
        full.extensionCount = 1
        full.suspendedAt = Date(timeIntervalSince1970: 951_782_400)  // 2000-02-29
        full.closedAt = Date(timeIntervalSince1970: 1_709_164_800.999)  // 2024-02-29
        full.duplicateOf = "c-9"
        full.eventCount = 12
        full.lastEventHash = String(repeating: "ab", count: 32)
        full.version = 11
        full.satisfaction = .basicallySatisfied
        var numbers = bare
        numbers.point = GeoPoint(lat: 0.1 + 0.2, lon: 1e21)
        numbers.updatedAt = Date(timeIntervalSince1970: 1e10 + 0.5)
        return [bare, full, numbers]
    }

    static func encoder(_ dates: JSONEncoder.DateEncodingStrategy) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = dates
        return e
    }

    @Test("case records: same bytes as JSONEncoder, ISO 8601 and milliseconds", arguments: Array(records().enumerated()))
    func caseRecords(index: Int, record: CaseRecord) throws {
        let api = String(decoding: try Self.encoder(.iso8601).encode(record), as: UTF8.self)
        #expect(JSONText.text(record, dates: .iso8601) == api)
        let stored = String(decoding: try Self.encoder(.millisecondsSince1970).encode(record), as: UTF8.self)
        let text = JSONText.text(record, dates: .millisecondsSince1970)
        #expect(text == stored)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        #expect(try decoder.decode(CaseRecord.self, from: Data(text.utf8)) == record)
    }

    @Test("components: same bytes as JSONEncoder, with and without the optional fields")
    func components() throws {
        let bare = Component(
            id: "41010200100100101", classCode: "01001", name: "井盖", point: GeoPoint(lat: 34.75, lon: 113.65),
            gridCode: "410102001001001", state: .intact, surveyedAt: Date(timeIntervalSince1970: 1_783_299_600),
            changedAt: Date(timeIntervalSince1970: 1_783_299_600))
        var full = bare
        full.ownerDepartmentID = "municipal"
        full.maintainerDepartmentID = DepartmentID(Self.awkward)
        full.remark = Self.awkward
        full.state = .underRepair
        full.changedAt = Date(timeIntervalSince1970: 1_783_299_600.25)
        for c in [bare, full] {
            #expect(JSONText.text(c, dates: .iso8601) == String(decoding: try Self.encoder(.iso8601).encode(c), as: UTF8.self))
            #expect(
                JSONText.text(c, dates: .millisecondsSince1970)
                    == String(decoding: try Self.encoder(.millisecondsSince1970).encode(c), as: UTF8.self))
        }
    }

    @Test("duplicate candidates and arrays of objects")
    func candidates() throws {
        let list = [
            DuplicateCandidate(caseID: "c-1", number: "E1", state: .dispatched, distanceMetres: 12.5),
            DuplicateCandidate(caseID: CaseID(Self.awkward), number: Self.awkward, state: .inProgress, distanceMetres: 0),
        ]
        var json = JSONText(dates: .iso8601)
        json.object { j in
            j.field("b", list)
            j.field("a", Optional<String>.none)
        }
        struct Wrapper: Encodable { var b: [DuplicateCandidate] }
        #expect(String(decoding: json.bytes, as: UTF8.self) == String(decoding: try Self.encoder(.iso8601).encode(Wrapper(b: list)), as: UTF8.self))
    }

    @Test("ISO 8601 dates match JSONEncoder across centuries, leap days and negative instants")
    func dates() throws {
        struct D: Encodable { var d: Date }
        var rng = SystemRandomNumberGenerator()
        let instants = [-86_400.0, -1, -0.001, 0, 0.999, 951_782_400, 951_868_799, 4_102_444_800, 253_402_300_799]
            + (0..<500).map { _ in Double(Int64.random(in: -2_000_000_000...250_000_000_000, using: &rng)) / 10 }
        for t in instants {
            let date = Date(timeIntervalSince1970: t)
            let expected = String(decoding: try Self.encoder(.iso8601).encode(D(d: date)), as: UTF8.self)
            #expect(#"{"d":""# + JSONText.iso8601(date) + #""}"# == expected, "instant \(t)")
        }
    }
}

/// Time-ordered IDs keep new rows at the end of the indexes keyed by them.
@Suite("Time-ordered UUIDs")
struct UUIDGeneratorTests {
    @Test("version 7 UUIDs: well formed, unique, ordered by the clock")
    func version7() throws {
        let clock = FixedClock(Date(timeIntervalSince1970: 1_783_299_600))
        let ids = UUIDGenerator(clock: clock)
        var previous = ""
        var seen = Set<String>()
        for step in 0..<200 {
            let id = ids.next()
            let uuid = try #require(UUID(uuidString: id), "not a UUID: \(id)")
            #expect(uuid.uuidString.lowercased() == id)
            let chars = Array(id)
            #expect(chars[14] == "7", "version digit of \(id)")
            #expect("89ab".contains(chars[19]), "variant digit of \(id)")
            #expect(String(chars[0..<8] + chars[9..<13]) == String(UInt64(1_783_299_600 + step) * 1000, radix: 16).leftPadded(to: 12))
            #expect(id > previous)
            #expect(seen.insert(id).inserted)
            previous = id
            clock.advance(by: 1)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
