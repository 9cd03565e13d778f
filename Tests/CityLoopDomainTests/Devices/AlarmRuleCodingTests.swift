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
