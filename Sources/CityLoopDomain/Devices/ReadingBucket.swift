import Foundation

/// Readings of one measurement summed up over one interval (降采样): a chart of a week needs one point per hour,
/// not every reading. Readings older than the raw retention are kept only as hourly buckets.
public struct ReadingBucket: Hashable, Codable, Sendable {
    /// The interval's start.
    public var start: Date
    /// Readings in the interval.
    public var count: Int
    /// Numbers' lowest, highest and mean; nil for a measurement of states.
    public var min: Double?
    public var max: Double?
    public var mean: Double?
    /// The last state in the interval, for a measurement of states.
    public var lastState: String?

    /// Creates a bucket.
    public init(start: Date, count: Int, min: Double?, max: Double?, mean: Double?, lastState: String?) {
        self.start = start
        self.count = count
        self.min = min
        self.max = max
        self.mean = mean
        self.lastState = lastState
    }
}
