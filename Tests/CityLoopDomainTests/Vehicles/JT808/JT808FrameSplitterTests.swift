@testable import CityLoopDomain
import Testing

@Suite("Frame splitter")
struct JT808FrameSplitterTests {
    static func drain(_ splitter: inout JT808FrameSplitter) throws(JT808Error) -> [[UInt8]] {
        var contents: [[UInt8]] = []
        while let content = try splitter.next() {
            contents.append(content)
        }
        return contents
    }

    static func sampleStream() throws -> (stream: [UInt8], contents: [[UInt8]]) {
        let frames = [
            JT808FrameTests.heartbeatEscaped, JT808LocationTests.locationFrame, JT808FrameTests.heartbeat2019,
        ]
        return (frames.flatMap { $0 }, frames.map { Array($0.dropFirst().dropLast()) })
    }

    @Test("a stream split at every byte boundary yields the same frames")
    func everyBoundary() throws {
        let (stream, expected) = try Self.sampleStream()
        for cut in 0...stream.count {
            var splitter = JT808FrameSplitter()
            splitter.append(stream[..<cut])
            var contents = try Self.drain(&splitter)
            splitter.append(stream[cut...])
            contents += try Self.drain(&splitter)
            #expect(contents == expected, "cut at \(cut)")
            #expect(splitter.bufferedByteCount == 0)
        }
    }

    @Test("byte-by-byte feeding yields the same frames")
    func byteByByte() throws {
        let (stream, expected) = try Self.sampleStream()
        var splitter = JT808FrameSplitter()
        var contents: [[UInt8]] = []
        for byte in stream {
            splitter.append(CollectionOfOne(byte))
            contents += try Self.drain(&splitter)
        }
        #expect(contents == expected)
    }

    @Test("garbage before the first delimiter is discarded")
    func leadingGarbage() throws {
        let garbage: [UInt8] = [0x00, 0x7D, 0x01, 0xFF, 0x7D]
        var splitter = JT808FrameSplitter()
        splitter.append(garbage)
        #expect(try splitter.next() == nil)
        #expect(splitter.bufferedByteCount == 0)
        splitter.append(JT808FrameTests.heartbeat2013)
        #expect(try Self.drain(&splitter) == [Array(JT808FrameTests.heartbeat2013.dropFirst().dropLast())])
    }

    @Test("back-to-back delimiters and shared delimiters both work; empty frames are skipped")
    func delimiters() throws {
        let a: [UInt8] = [0x01, 0x02]
        let b: [UInt8] = [0x03]
        #expect(try JT808Samples.split([0x7E] + a + [0x7E, 0x7E] + b + [0x7E]) == [a, b])
        #expect(try JT808Samples.split([0x7E] + a + [0x7E] + b + [0x7E]) == [a, b])
        #expect(try JT808Samples.split([0x7E, 0x7E, 0x7E] + a + [0x7E, 0x7E, 0x7E, 0x7E]) == [a])
        #expect(try JT808Samples.split([0x7E, 0x7E]) == [])
        // Content after the last delimiter stays pending until its closing delimiter arrives.
        var splitter = JT808FrameSplitter()
        splitter.append([0x7E] + a + [0x7E] + b)
        #expect(try splitter.next() == a)
        #expect(try splitter.next() == nil)
        #expect(splitter.bufferedByteCount == 1)
        splitter.append([0x7E])
        #expect(try splitter.next() == b)
    }

    @Test("an over-long frame throws, is dropped, and the splitter resynchronises on the next 0x7E")
    func overLong() throws {
        var splitter = JT808FrameSplitter(maxFrameLength: 32)
        splitter.append([0x7E] + [UInt8](repeating: 0x11, count: 20))
        #expect(try splitter.next() == nil)
        splitter.append([UInt8](repeating: 0x11, count: 20))
        #expect(throws: JT808Error.frameTooLong) { try splitter.next() }
        // The rest of the over-long frame is skipped up to its closing delimiter.
        splitter.append([UInt8](repeating: 0x22, count: 100))
        #expect(try splitter.next() == nil)
        #expect(splitter.bufferedByteCount == 0)
        splitter.append([0x7E] + JT808FrameTests.heartbeat2013)
        #expect(try Self.drain(&splitter) == [Array(JT808FrameTests.heartbeat2013.dropFirst().dropLast())])
    }

    @Test("content of exactly the maximum length is accepted, one more byte is not")
    func exactLimit() throws {
        var splitter = JT808FrameSplitter(maxFrameLength: 8)
        splitter.append([0x7E] + [UInt8](repeating: 1, count: 8) + [0x7E])
        #expect(try splitter.next() == [UInt8](repeating: 1, count: 8))
        splitter.append([UInt8](repeating: 2, count: 9) + [0x7E, 0x03, 0x7E])
        #expect(throws: JT808Error.frameTooLong) { try splitter.next() }
        #expect(try splitter.next() == [0x03])
    }

    @Test("extreme limits are safe")
    func extremeLimits() throws {
        var unlimited = JT808FrameSplitter(maxFrameLength: .max)
        unlimited.append(JT808FrameTests.heartbeat2013)
        #expect(try unlimited.next() == Array(JT808FrameTests.heartbeat2013.dropFirst().dropLast()))
        var tiny = JT808FrameSplitter(maxFrameLength: 0)
        #expect(tiny.maxFrameLength == 1)
        tiny.append([0x7E, 0x01, 0x7E, 0x01, 0x02, 0x7E])
        #expect(try tiny.next() == [0x01])
        #expect(throws: JT808Error.frameTooLong) { try tiny.next() }
        #expect(try tiny.next() == nil)
    }

    @Test("the default limit admits the largest valid frame")
    func defaultLimit() throws {
        #expect(JT808FrameSplitter().maxFrameLength == JT808FrameSplitter.defaultMaxFrameLength)
        #expect(JT808FrameSplitter.defaultMaxFrameLength >= JT808Frame.maximumEscapedContentLength)
        let header = try JT808Header(
            messageID: 0x0704, phoneNumber: "", serialNumber: 0x7E7E, version: .v2019, protocolVersion: 0x7E,
            subpackage: JT808Subpackage(total: 0x7E7E, index: 0x7E7E))
        let frame = try JT808Frame(header: header, body: [UInt8](repeating: 0x7D, count: 1023))
        let contents = try JT808Samples.split(frame.encode())
        #expect(try JT808Frame.decode(contents[0]) == frame)
    }

    @Test("a long stream of many frames in uneven chunks is split completely")
    func longStream() throws {
        let (stream, expected) = try Self.sampleStream()
        let repeats = 2_000
        var splitter = JT808FrameSplitter()
        var count = 0
        var all: [UInt8] = []
        for _ in 0..<repeats { all += stream }
        var offset = 0
        var chunk = 1
        while offset < all.count {
            let end = min(all.count, offset + chunk)
            splitter.append(all[offset..<end])
            while let content = try splitter.next() {
                #expect(content == expected[count % expected.count])
                count += 1
            }
            offset = end
            chunk = chunk % 997 + 13
        }
        #expect(count == repeats * expected.count)
        #expect(splitter.bufferedByteCount == 0)
    }
}
