/// A streaming splitter that cuts a TCP byte stream into frame contents delimited by 0x7E (标识位).
///
/// Every 0x7E is treated as a boundary, so both the usual `7E … 7E 7E … 7E` and a shared delimiter
/// `7E … 7E … 7E` work; empty contents (back-to-back `7E 7E`) are skipped. Bytes before the first 0x7E are
/// discarded. Returned contents are still escaped and go to `JT808Frame.decode(_:)`; a stray chunk between
/// frames therefore surfaces there as a decoding error rather than being hidden here.
///
/// Memory is bounded: content longer than `maxFrameLength` without a closing 0x7E makes `next()` throw
/// `.frameTooLong`. The splitter then drops the partial frame and everything up to the next 0x7E, and
/// resynchronises on it, so later `next()` calls continue with the following frame. The bound holds when
/// `next()` is called until it returns `nil` after each `append(_:)`.
///
/// Each byte is scanned once and consumed bytes are compacted away in amortised O(1) per byte, so a stream of
/// n bytes costs O(n) overall.
public struct JT808FrameSplitter: Sendable, Equatable {
    /// The default limit on escaped frame content: 4096 bytes.
    ///
    /// The largest valid frame is 2090 escaped bytes (`JT808Frame.maximumEscapedContentLength`): the body length
    /// field has 10 bits, so even a 0x0704 batch never exceeds 1023 body bytes per frame. The default leaves
    /// headroom for non-conforming terminals while bounding per-connection memory.
    public static let defaultMaxFrameLength = 4096

    /// The largest escaped frame content (without delimiters) accepted before `.frameTooLong`.
    public let maxFrameLength: Int

    private var buffer: [UInt8] = []
    // Index of the first content byte of the frame being collected, or nil while looking for a 0x7E.
    private var frameStart: Int?
    // Next index to examine; everything before it has been scanned already.
    private var scanIndex = 0

    // Compacting only once this many consumed bytes have built up keeps the copy cost amortised.
    private static let compactionThreshold = 4096

    /// Creates a splitter; `maxFrameLength` is clamped to at least 1.
    public init(maxFrameLength: Int = JT808FrameSplitter.defaultMaxFrameLength) {
        self.maxFrameLength = max(1, maxFrameLength)
    }

    /// The number of bytes held that have not been returned or discarded yet, excluding delimiters.
    public var bufferedByteCount: Int {
        buffer.count - (frameStart ?? scanIndex)
    }

    /// Appends bytes received from the connection.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next complete frame content between two 0x7E (without them, still escaped), or `nil` if more
    /// bytes are needed. Throws `.frameTooLong` when the current frame exceeds `maxFrameLength`; see the type
    /// documentation for how the splitter recovers.
    public mutating func next() throws(JT808Error) -> [UInt8]? {
        while true {
            guard let start = frameStart else {
                guard let delimiter = buffer[scanIndex...].firstIndex(of: JT808Escaping.delimiter) else {
                    scanIndex = buffer.count
                    return nil
                }
                frameStart = delimiter + 1
                scanIndex = delimiter + 1
                continue
            }
            // Written so that a huge maxFrameLength cannot overflow.
            let limit = buffer.count - start > maxFrameLength ? start + maxFrameLength + 1 : buffer.count
            if let delimiter = buffer[scanIndex..<limit].firstIndex(of: JT808Escaping.delimiter) {
                frameStart = delimiter + 1
                scanIndex = delimiter + 1
                if delimiter == start { continue }
                return Array(buffer[start..<delimiter])
            }
            scanIndex = limit
            if limit - start > maxFrameLength {
                frameStart = nil
                throw .frameTooLong
            }
            return nil
        }
    }

    private mutating func compact() {
        let keepFrom = frameStart ?? scanIndex
        guard keepFrom > 0 else { return }
        if keepFrom == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if keepFrom >= Self.compactionThreshold, keepFrom * 2 >= buffer.count {
            buffer.removeSubrange(0..<keepFrom)
        } else {
            return
        }
        scanIndex -= keepFrom
        frameStart = frameStart.map { $0 - keepFrom }
    }
}
