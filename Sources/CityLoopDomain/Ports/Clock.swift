import Foundation

/// The source of the current time. Injected so that deadlines and overdue checks can be tested.
public protocol CityClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The real wall clock.
public struct SystemClock: CityClock {
    /// Creates the system clock.
    public init() {}
    /// The current instant.
    public func now() -> Date { Date() }
}

/// A clock that stands still until moved; for tests and deterministic generation.
public final class FixedClock: CityClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    /// Starts the clock at `date`.
    public init(_ date: Date) { current = date }
    /// The clock's current instant.
    public func now() -> Date { lock.withLock { current } }
    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
    /// Sets the clock to `date`.
    public func set(_ date: Date) { lock.withLock { current = date } }
}

/// The source of new unique identifiers. Injected so tests get predictable IDs.
public protocol IDGenerator: Sendable {
    /// A new unique identifier string.
    func next() -> String
}

/// Time-ordered random UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds from the clock, then 74
/// random bits. IDs made close together sort together, so new rows land at the end of the indexes keyed by
/// them instead of on a random page each (random version-4 IDs made every intake write touch fresh pages).
public struct UUIDGenerator: IDGenerator {
    let clock: any CityClock

    /// Creates the generator reading time from `clock`.
    public init(clock: any CityClock = SystemClock()) { self.clock = clock }

    /// A new lowercase UUID, `xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx`.
    public func next() -> String {
        var rng = SystemRandomNumberGenerator()
        let millis = UInt64(max(0, (clock.now().timeIntervalSince1970 * 1000).rounded(.down)))
        let high = (millis & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (rng.next() & 0x0FFF)
        let low = (rng.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return Self.format(high: high, low: low)
    }

    /// The 8-4-4-4-12 lowercase hex form of 128 bits.
    static func format(high: UInt64, low: UInt64) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            let word = i < 16 ? high : low
            out.append(digits[Int((word >> UInt64(60 - 4 * (i % 16))) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Sequential IDs with a prefix (`t-1`, `t-2`, ...), for tests and deterministic demo data.
public final class SequentialIDGenerator: IDGenerator, @unchecked Sendable {
    private let lock = NSLock()
    private var counter = 0
    private let prefix: String
    /// Creates a generator whose IDs start with `prefix`.
    public init(prefix: String = "id") { self.prefix = prefix }
    /// The next ID.
    public func next() -> String {
        lock.withLock {
            counter += 1
            return "\(prefix)-\(counter)"
        }
    }
}
