import CityLoopDomain
import Foundation
import Testing

/// Alarm rules in JSON as administrators write them, and as devices registered before kept them.
@Suite("Alarm rule JSON")
struct AlarmRuleCodingTests {
    static let conditions: [AlarmRule.Condition] = [
        .above(raise: .value(70), clear: .value(65)), .below(raise: .attribute("low"), clear: .value(0.2)),
        .sustained(above: .attribute("alertLevel"), seconds: 300), .repeated(above: .value(150), times: 5, seconds: 900),
        .rate(perMinute: -0.05), .state(["open", "lifted"]),
    ]

    @Test("every condition reads back as written, in the documented form")
    func roundTrip() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let texts = try Self.conditions.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        #expect(texts == [
            #"{"above":{"clear":65,"raise":70}}"#, #"{"below":{"clear":0.2,"raise":{"attribute":"low"}}}"#,
            #"{"sustained":{"above":{"attribute":"alertLevel"},"seconds":300}}"#, #"{"repeated":{"above":150,"seconds":900,"times":5}}"#,
            #"{"rate":{"perMinute":-0.05}}"#, #"{"state":["open","lifted"]}"#,
        ])
        for (text, condition) in zip(texts, Self.conditions) {
            #expect(try JSONDecoder().decode(AlarmRule.Condition.self, from: Data(text.utf8)) == condition)
        }
    }

    @Test("the form devices registered before were kept in still reads")
    func legacy() throws {
        let old = [
            #"{"above":{"raise":{"value":{"_0":70}},"clear":{"attribute":{"_0":"alertLevel"}}}}"#,
            #"{"state":{"_0":["open"]}}"#,
        ]
        #expect(try old.map { try JSONDecoder().decode(AlarmRule.Condition.self, from: Data($0.utf8)) } == [
            .above(raise: .value(70), clear: .attribute("alertLevel")), .state(["open"]),
        ])
    }

    @Test("a condition of no kind, two kinds or missing parts is refused")
    func refused() {
        for text in [#"{}"#, #"{"above":{"raise":1,"clear":0},"rate":{"perMinute":1}}"#, #"{"above":{"raise":1}}"#, #"{"sometimes":{}}"#,
                     #"{"state":"open"}"#, #"{"above":{"raise":"x","clear":0}}"#, #"[1]"#] {
            #expect(throws: (any Error).self, "\(text)") { try JSONDecoder().decode(AlarmRule.Condition.self, from: Data(text.utf8)) }
        }
    }
}

/// Rule states as the stores keep them: every state reads back exactly, and the JSON of states stored before.
@Suite("Rule state text")
struct RuleStateTextTests {
    @Test("random states read back exactly; JSON ones too; broken lines are refused")
    func roundTrip() throws {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return seed
        }
        func date() -> Date? { next() % 4 == 0 ? nil : Date(timeIntervalSince1970: 1_700_000_000 + Double(next() % 100_000_000) / 997) }
        for _ in 0..<2000 {
            var s = RuleState()
            s.lastAt = date()
            s.lastValue = next() % 3 == 0 ? nil : Double(Int64(bitPattern: next())) / Double(next() | 1)
            s.active = next() % 2 == 0
            s.since = date()
            s.hits = (0..<Int(next() % 6)).compactMap { _ in date() }
            #expect(try RuleState(storedText: s.storedText) == s, "\(s.storedText)")
            #expect(try RuleState(storedText: String(decoding: try JSONEncoder().encode(s), as: UTF8.self)) == s)
        }
        for text in ["v1|x|||", "v1|1|2|1|3|4|5", "v1|1|abc|0||", "v1|||0||1,z", "", "v2|"] {
            #expect(throws: (any Error).self, "\(text)") { try RuleState(storedText: text) }
        }
    }
}
