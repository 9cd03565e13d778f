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

/// Random UUIDs.
public struct UUIDGenerator: IDGenerator {
    /// Creates the generator.
    public init() {}
    /// A new lowercase UUID.
    public func next() -> String { UUID().uuidString.lowercased() }
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
