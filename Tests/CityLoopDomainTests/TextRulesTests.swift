import Foundation
import Testing

@testable import CityLoopDomain

/// Random text the API accepts: scalars of every plane, with combining marks, bidi controls, emoji, tab/CR/LF,
/// quotes, backslashes and the canonical text's separators mixed in often.
enum RandomText {
    static let awkward: [Unicode.Scalar] = [
        "\t", "\r", "\n", "\"", "\\", "|", "&", "=", ",", " ", "\u{301}", "\u{338}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}",
        "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{200D}", "\u{FEFF}", "\u{FFFD}", "\u{FFFF}", "\u{2028}",
        "\u{1F9F9}", "\u{1F468}", "\u{1F3FD}", "\u{10FFFF}", "\u{E000}", "中", "𠀀", "u", "0",
    ]

    static func string(_ rng: inout SplitMix64, maxLength: Int = 40) -> String {
        var out = String.UnicodeScalarView()
        let n = Int.random(in: 1...maxLength, using: &rng)
        while out.count < n {
            let s: Unicode.Scalar?
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: s = awkward.randomElement(using: &rng)
            case 1: s = Unicode.Scalar(UInt32.random(in: 0x20...0x7E, using: &rng))
            case 2: s = Unicode.Scalar(UInt32.random(in: 0xA0...0xFFFF, using: &rng))
            default: s = Unicode.Scalar(UInt32.random(in: 0x10000...0x10FFFF, using: &rng))
            }
            // Surrogate code points are no scalars (nil); refused characters are what the edge refuses.
            if let s, !TextRules.isRefused(s) { out.append(s) }
        }
        return String(out)
    }
}

@Suite struct TextRulesTests {
    static func scalars(_ s: String?) -> [UInt32] { (s ?? "").unicodeScalars.map(\.value) }

    @Test func controlCharactersAreRefusedAndTabCRLFAndBidiAreNot() {
        for v: UInt32 in [0, 1, 7, 8, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F] {
            #expect(TextRules.isRefused(Unicode.Scalar(v)!), "U+\(String(v, radix: 16))")
        }
        for v: UInt32 in [0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x202E, 0x2066, 0xFFFD, 0x1F9F9] {
            #expect(!TextRules.isRefused(Unicode.Scalar(v)!), "U+\(String(v, radix: 16))")
        }
        #expect(throws: DomainError.self) { try TextRules.check("a\u{0}b", field: "description") }
        #expect(TextRules.firstRefused(in: "ab\u{85}")?.offset == 2)
        #expect(TextRules.repaired("a\u{0}b\u{9F}c\td") == "a\u{FFFD}b\u{FFFD}c\td")
    }

    @Test func theJSONCheckNamesTheFieldPath() {
        func field(_ json: String) -> String? {
            do {
                try TextRules.checkJSON(Array(json.utf8))
                return nil
            } catch let e as DomainError {
                return "\(e.code) \(e.field ?? "")"
            } catch {
                return "other"
            }
        }
        #expect(field(#"{"description":"a\u0000b"}"#) == "text.control_character description")
        #expect(field(#"{"items":[{"comment":"ok"},{"x":1},{"comment":"bad\u001b"}]}"#) == "text.control_character items[2].comment")
        #expect(field(#"{"a":{"b":"\ud800"}}"#) == "text.unpaired_surrogate a.b")
        #expect(field(#"{"a":"\udfff\ud800"}"#) == "text.unpaired_surrogate a")
        #expect(field(#"["ok","\u0085"]"#) == "text.control_character body[1]")
        #expect(field("{\"raw\":\"c1 \u{85}\"}") == "text.control_character raw")
        // accepted: escaped backslash before u0000 is text, a valid pair, tab/CR/LF escapes, bidi controls
        #expect(field(#"{"a":"\\u0000","b":"\ud83e\uddf9","c":"\t\r\n","d":"\u202e"}"#) == nil)
        // malformed JSON is the decoder's to report
        #expect(field(#"{"a":"#) == nil)
    }

    @Test func anyAcceptedTextRoundTripsThroughTheEventTextAndJSON() throws {
        var rng = SplitMix64(state: 13)
        let decoder = JSONDecoder()
        for round in 0..<500 {
            let texts = (0..<4).map { _ in RandomText.string(&rng) }
            // The edge accepts it...
            let json = JSONText.text(Wrapper(texts: texts), dates: .iso8601)
            try TextRules.checkJSON(Array(json.utf8))
            // ...the JSON writer writes what JSONDecoder reads back, scalar for scalar...
            let back = try decoder.decode([String: [String]].self, from: Data(json.utf8))["texts"] ?? []
            #expect(back.map(Self.scalars) == texts.map(Self.scalars), "round \(round)")
            // ...and the event's canonical text gives back every field.
            let event = CaseEvent(
                caseID: CaseID("c-\(round)"), seq: 2, action: .urge, fromState: .dispatched, toState: .dispatched,
                actor: Actor(userID: UserID(texts[0]), name: texts[1], role: .leader), at: Date(timeIntervalSince1970: 1_780_000_000),
                comment: texts[2], evidence: [texts[3], texts[0]], details: [texts[1]: texts[2], "k": texts[3]]
            ).sealed(after: CaseEvent.genesisHash, hasher: FNVHasher())
            let read = try CaseEvent(canonicalText: event.canonicalText, hash: event.hash)
            #expect(Self.scalars(read.comment) == Self.scalars(texts[2]), "round \(round)")
            #expect(Self.scalars(read.actorName) == Self.scalars(texts[1]))
            #expect(Self.scalars(read.actorID.rawValue) == Self.scalars(texts[0]))
            #expect(read.evidence.map(Self.scalars) == [texts[3], texts[0]].map(Self.scalars))
            #expect(read.canonicalBytes == event.canonicalBytes)
            #expect(FNVHasher().digest(read.canonicalText) == event.hash)
        }
    }

    @Test func repairReplacesRefusedCharactersInEventTextAndJSONText() {
        let raw = Array("c-1|2|urge|a\u{0}b|x\u{85}y\u{7F}|\t".utf8)
        #expect(TextRules.repairedRawText(raw).map { String(decoding: $0, as: UTF8.self) } == "c-1|2|urge|a\u{FFFD}b|x\u{FFFD}y\u{FFFD}|\t")
        #expect(TextRules.repairedRawText(Array("clean 中文\t\n".utf8)) == nil)
        let json = Array(#"{"a":"x\u0000y\by\\u0000","b":"\u00e9\n","c":"\u0085"}"#.utf8)
        let fixed = TextRules.repairedJSONText(json).map { String(decoding: $0, as: UTF8.self) }
        #expect(fixed == "{\"a\":\"x\u{FFFD}y\u{FFFD}y\\\\u0000\",\"b\":\"\\u00e9\\n\",\"c\":\"\u{FFFD}\"}")
        #expect(TextRules.repairedJSONText(Array(#"{"a":"\\b \\f ok"}"#.utf8)) == nil)
    }
}

private struct Wrapper: JSONTextWritable {
    var texts: [String]
    func write(to json: inout JSONText) { json.object { j in j.field("texts", texts) } }
}
