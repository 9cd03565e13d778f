import Foundation

/// A person's hand on an alarm (告警处理), kept apart from what readings write: ingest never overwrites an
/// acknowledgement or a case link, and never raises again an alarm cleared by hand (a new alarm rises instead).
public enum AlarmMark: Hashable, Sendable {
    /// Seen and being dealt with; the alarm stays up.
    case acknowledge(by: UserID, at: Date)
    /// Cleared by hand (an alarm up only).
    case clear(by: UserID, at: Date)
    /// The case opened for the alarm.
    case linkCase(CaseID)
}

extension Alarm {
    /// The alarm after `mark`; nil when clearing an alarm that is no longer up.
    public func marked(_ mark: AlarmMark) -> Alarm? {
        var a = self
        switch mark {
        case .acknowledge(let by, let at):
            guard a.acknowledgedAt == nil else { return a }
            a.acknowledgedAt = at
            a.acknowledgedBy = by
        case .clear(let by, let at):
            guard a.active else { return nil }
            a.active = false
            a.clearedAt = at
            a.clearedBy = by
        case .linkCase(let id):
            a.caseID = id
        }
        return a
    }

    /// The alarm as ingest wrote it with the hands stored beside it (they win: ingest does not write them).
    public func withHands(active: Bool, acknowledgedAt: Date?, acknowledgedBy: UserID?, clearedBy: UserID?, caseID: CaseID?) -> Alarm {
        var a = self
        if !active && a.active {
            a.active = false
            a.clearedAt = a.clearedAt ?? a.lastAt
        }
        a.acknowledgedAt = acknowledgedAt ?? a.acknowledgedAt
        a.acknowledgedBy = acknowledgedBy ?? a.acknowledgedBy
        a.clearedBy = clearedBy ?? a.clearedBy
        a.caseID = caseID ?? a.caseID
        return a
    }
}
