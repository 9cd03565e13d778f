import Foundation

/// A sanitation vehicle's roads for a daily shift (作业排班): every day the shift runs, the vehicle should drive at
/// least `requiredShare` of the segments' length (清扫保洁覆盖率).
public struct RouteAssignment: Hashable, Codable, Sendable {
    /// The assignment's identifier.
    public var id: String
    /// The vehicle.
    public var vehicleID: VehicleID
    /// The roads, in the order given.
    public var segmentIDs: [RoadSegmentID]
    /// The daily shift in local time, e.g. `05:00-08:00` (a shift crossing midnight belongs to the day it starts).
    public var shift: DailyWindow
    /// The first day's shifts counted: shifts starting before it are not.
    public var validFrom: Date
    /// Shifts starting at or after it are not counted; nil: open-ended.
    public var validTo: Date?
    /// The share of the roads' length to drive each shift, 0 < share ≤ 1 (default 90 %).
    public var requiredShare: Double

    /// Creates an assignment.
    public init(
        id: String, vehicleID: VehicleID, segmentIDs: [RoadSegmentID], shift: DailyWindow, validFrom: Date, validTo: Date? = nil,
        requiredShare: Double = 0.9
    ) {
        self.id = id
        self.vehicleID = vehicleID
        self.segmentIDs = segmentIDs
        self.shift = shift
        self.validFrom = validFrom
        self.validTo = validTo
        self.requiredShare = requiredShare
    }

    /// Throws an invalid-input error naming the field: an ID of 1–64 letters, digits or `_ . : -`, 1–500 distinct
    /// segments, a required share in (0, 1], a validity that ends after it starts.
    public func validate() throws {
        if id.range(of: "^[A-Za-z0-9_.:-]{1,64}$", options: .regularExpression) == nil {
            throw DomainError.invalid("id", "id must be 1–64 letters, digits or _ . : -", code: "assignment.id")
        }
        guard (1...500).contains(segmentIDs.count), Set(segmentIDs).count == segmentIDs.count else {
            throw DomainError.invalid("segmentIDs", "an assignment lists 1–500 distinct road segments", code: "assignment.segments")
        }
        guard requiredShare.isFinite, requiredShare > 0, requiredShare <= 1 else {
            throw DomainError.invalid("requiredShare", "the required share lies in (0, 1]", code: "assignment.share")
        }
        if let validTo, validTo <= validFrom { throw DomainError.invalid("validTo", "validTo must be after validFrom", code: "assignment.validity") }
    }

    /// The shifts (start, end) this assignment counts that end after `after` and at or before `upTo`, oldest first, in a
    /// city `utcOffsetSeconds` ahead of UTC.
    public func shifts(endingAfter after: Date, upTo: Date, utcOffsetSeconds: Int) -> [DateInterval] {
        guard after < upTo else { return [] }
        let minutes = ((shift.endMinute - shift.startMinute) % 1440 + 1440) % 1440
        let length = TimeInterval((minutes == 0 ? 1440 : minutes) * 60)
        let offset = TimeInterval(utcOffsetSeconds)
        // Local day numbers from the day before `after` (a shift crossing midnight) to the day of `upTo`.
        let firstDay = Int(((after.timeIntervalSince1970 + offset) / 86_400).rounded(.down)) - 1
        let lastDay = Int(((upTo.timeIntervalSince1970 + offset) / 86_400).rounded(.down))
        guard lastDay - firstDay <= 3660 else { return [] }
        var out: [DateInterval] = []
        for day in firstDay...lastDay {
            let start = Date(timeIntervalSince1970: Double(day) * 86_400 - offset + Double(shift.startMinute * 60))
            let end = start.addingTimeInterval(length)
            guard end > after, end <= upTo, start >= validFrom, validTo.map({ start < $0 }) ?? true else { continue }
            out.append(DateInterval(start: start, end: end))
        }
        return out
    }
}

/// How one shift of an assignment went (作业覆盖率), measured once the shift is over.
public struct ShiftCoverage: Hashable, Codable, Sendable {
    /// The assignment.
    public var assignmentID: String
    /// The vehicle.
    public var vehicleID: VehicleID
    /// When the shift started.
    public var shiftStart: Date
    /// When it ended.
    public var shiftEnd: Date
    /// The share the assignment required.
    public var requiredShare: Double
    /// The coverage of each segment.
    public var coverage: RouteCoverage
    /// How many positions of the vehicle the shift had.
    public var positions: Int
    /// When it was measured.
    public var measuredAt: Date

    /// Creates a result.
    public init(
        assignmentID: String, vehicleID: VehicleID, shiftStart: Date, shiftEnd: Date, requiredShare: Double, coverage: RouteCoverage, positions: Int,
        measuredAt: Date
    ) {
        self.assignmentID = assignmentID
        self.vehicleID = vehicleID
        self.shiftStart = shiftStart
        self.shiftEnd = shiftEnd
        self.requiredShare = requiredShare
        self.coverage = coverage
        self.positions = positions
        self.measuredAt = measuredAt
    }

    /// The driven share of the roads.
    public var share: Double { coverage.share }
    /// Whether the vehicle drove less than required.
    public var isShort: Bool { share < requiredShare }

    /// Measures one shift of `assignment` from the vehicle's `track` in it; `segments` are the registry's (those the
    /// assignment names and the registry lacks count as not driven, with no length). Returns the result and, when the
    /// vehicle drove less than required, the `coverageShort` event at the shift's end.
    public static func measure(
        _ assignment: RouteAssignment, shift: DateInterval, segments: [RoadSegment], track: [VehiclePosition], measuredAt: Date
    ) throws -> (ShiftCoverage, VehicleEvent?) {
        let byID = Dictionary(segments.map { ($0.id, $0) }) { a, _ in a }
        let known = assignment.segmentIDs.compactMap { byID[$0] }
        let inShift = track.filter { $0.vehicleID == assignment.vehicleID && shift.start <= $0.time && $0.time < shift.end }
        let result = ShiftCoverage(
            assignmentID: assignment.id, vehicleID: assignment.vehicleID, shiftStart: shift.start, shiftEnd: shift.end,
            requiredShare: assignment.requiredShare, coverage: try RouteCoverage(segments: known, track: inShift), positions: inShift.count,
            measuredAt: measuredAt)
        guard result.isShort else { return (result, nil) }
        let last = inShift.last { $0.hasUsableFix }?.point ?? known.first?.points.first
        let event = VehicleEvent(
            kind: .coverageShort, vehicleID: assignment.vehicleID, time: shift.end, point: last, since: shift.start,
            measured: (result.share * 1000).rounded() / 10, limit: (assignment.requiredShare * 1000).rounded() / 10)
        return (result, event)
    }
}
