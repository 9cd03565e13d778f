import Foundation

/// The range a deadline given from outside may take (issue 13 §3): a typo such as year 0226 or 20026 would
/// otherwise make a case never, or always, overdue.
public enum DeadlineRules {
    /// 2000-01-01T00:00:00Z: no deadline of the platform's work lies before it.
    public static let earliest = Date(timeIntervalSince1970: 946_684_800)
    /// How far ahead a deadline may lie: five years (of 365.25 days).
    public static let horizon: TimeInterval = 5 * 365.25 * 86400

    /// Throws a 422-kind error naming the field when the deadline is before 2000 or more than five years after `now`.
    public static func check(_ deadline: Date?, field: String, now: Date) throws {
        guard let deadline else { return }
        if deadline < earliest {
            throw DomainError.invalid(field, "\(field) \(JSONText.iso8601(deadline)) is before the year 2000", code: "deadline.out_of_range")
        }
        if deadline > now.addingTimeInterval(horizon) {
            throw DomainError.invalid(
                field, "\(field) \(JSONText.iso8601(deadline)) is more than five years ahead", code: "deadline.out_of_range")
        }
    }
}
