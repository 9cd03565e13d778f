@testable import CityLoopDomain
import Testing

@Suite("Fuzz")
struct JT808FuzzTests {
    /// Outcome counters, to check that the fuzzing reached the deeper decoding stages.
    struct Tally {
        var frames = 0
        var messages = 0
    }

    /// Decodes `content`; on success checks that re-encoding and decoding again gives equal values.
    static func check(_ content: [UInt8], _ tally: inout Tally) {
        let frame: JT808Frame
        do {
            frame = try JT808Frame.decode(content)
        } catch {
            return
        }
        tally.frames += 1
        do {
            let again = try JT808Samples.split(frame.encode())
            #expect(again.count == 1)
            #expect(try JT808Frame.decode(again[0]) == frame)
        } catch {
            Issue.record("re-encoded frame failed: \(error)")
        }
        let message: JT808Message
        do {
            message = try frame.decodeMessage()
        } catch {
            return
        }
        tally.messages += 1
        do {
            let body = try message.encodeBody(version: frame.header.version)
            let reencoded = try JT808Frame(header: frame.header, body: body)
            let content = try JT808Samples.split(reencoded.encode())
            #expect(try JT808Frame.decode(content[0]).decodeMessage() == message)
        } catch {
            Issue.record("re-encoded message \(message) failed: \(error)")
        }
    }

    /// Decodes `body` as message `messageID`; on success checks that re-encoding gives an equal message.
    static func checkBody(_ body: [UInt8], messageID: UInt16, version: JT808Version, _ tally: inout Tally) {
        guard let message = try? JT808Message.decode(messageID: messageID, version: version, body: body) else { return }
        tally.messages += 1
        do {
            let again = try JT808Message.decode(messageID: messageID, version: version, body: message.encodeBody(version: version))
            #expect(again == message)
        } catch {
            Issue.record("re-encoded message \(message) failed: \(error)")
        }
    }

    /// Feeds `bytes` to a splitter in random chunks and checks every frame it yields.
    static func feed(_ bytes: [UInt8], maxFrameLength: Int, _ tally: inout Tally, _ rng: inout SplitMix64) {
        var splitter = JT808FrameSplitter(maxFrameLength: maxFrameLength)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + Int.random(in: 1...64, using: &rng))
            splitter.append(bytes[offset..<end])
            offset = end
            while true {
                do {
                    guard let content = try splitter.next() else { break }
                    check(content, &tally)
                } catch {
                    #expect(error == .frameTooLong)
                }
            }
        }
    }

    static let messageIDs: [UInt16] = [0x0001, 0x8001, 0x0002, 0x0003, 0x0100, 0x8100, 0x0102, 0x0200, 0x0704, 0x0900]

    @Test("20,000 random byte arrays never crash the splitter or decoder")
    func randomBytes() {
        var rng = SplitMix64(state: 0x808_2013)
        var tally = Tally()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...300, using: &rng)
            // A high share of delimiters and escapes reaches more splitter and unescaping paths.
            let bytes = (0..<length).map { _ -> UInt8 in
                switch UInt8.random(in: 0...15, using: &rng) {
                case 0: return 0x7E
                case 1: return 0x7D
                default: return UInt8.random(in: 0...255, using: &rng)
                }
            }
            Self.check(bytes, &tally)
            let messageID = Self.messageIDs[Int.random(in: 0..<Self.messageIDs.count, using: &rng)]
            Self.checkBody(bytes, messageID: messageID, version: Bool.random(using: &rng) ? .v2013 : .v2019, &tally)
            Self.feed(bytes, maxFrameLength: Int.random(in: 16...400, using: &rng), &tally, &rng)
        }
        // Random bodies for fixed-layout and catch-all IDs decode often; this guards against a vacuous run.
        #expect(tally.messages > 1_000)
    }

    @Test("20,000 mutated valid frames decode consistently or throw")
    func mutatedFrames() throws {
        var rng = SplitMix64(state: 0x808_2019)
        let frames = try JT808Samples.sampleFrames()
        var wireTally = Tally()
        var rawTally = Tally()
        for iteration in 0..<20_000 {
            let original = frames[Int.random(in: 0..<frames.count, using: &rng)]
            if iteration.isMultiple(of: 2) {
                // Wire mutations: mostly caught by escaping and the check code.
                let mutated = Self.mutate(original, &rng)
                Self.check(Array(mutated.dropFirst().dropLast()), &wireTally)
                Self.feed(mutated, maxFrameLength: JT808FrameSplitter.defaultMaxFrameLength, &wireTally, &rng)
            } else {
                // Mutations of the unescaped header and body with a corrected check code reach header and
                // body parsing.
                let raw = try JT808Escaping.unescape(original.dropFirst().dropLast()).dropLast()
                let content = JT808Samples.content(raw: Self.mutate(Array(raw), &rng))
                Self.check(content, &rawTally)
                Self.feed([0x7E] + content + [0x7E], maxFrameLength: 4096, &rawTally, &rng)
            }
        }
        #expect(rawTally.frames > 1_000)
        #expect(rawTally.messages > 100)
    }

    /// Applies one to three random bit flips, insertions or deletions.
    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0 where !result.isEmpty:
                let index = Int.random(in: 0..<result.count, using: &rng)
                result[index] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            case 1:
                result.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...result.count, using: &rng))
            default:
                if !result.isEmpty { result.remove(at: Int.random(in: 0..<result.count, using: &rng)) }
            }
        }
        return result
    }
}
