import Foundation

/// A reviewer's decision on a pending candidate (复核结论).
public enum ReviewDecision: Hashable, Sendable {
    /// Accept it: the service has created the case (its ID given here) and files it in the same transaction.
    case accept(caseID: CaseID)
    /// Reject it for a reason, with an optional note (required for `.other`).
    case reject(RejectReason, note: String?)
    /// It is the same problem as an existing case: attach it there.
    case merge(into: CaseID)
}

extension DetectionCandidate {
    /// The longest note a reviewer may leave.
    public static let maxNoteLength = 500

    /// Records a reviewer's decision. Only a pending candidate may be reviewed: anything else throws an
    /// invalid-transition error `candidate.reviewed`. A rejection's note is at most 500 characters without control
    /// characters (line breaks allowed), and required for `.other`. The accepted case's ID is the service's: it
    /// makes the ID first, so the candidate never stands accepted without its case.
    public mutating func review(_ decision: ReviewDecision, by reviewer: UserID, at time: Date) throws {
        guard state == .pending else {
            throw DomainError(
                .invalidTransition, code: "candidate.reviewed", "candidate \(id) is already \(state.name); it cannot be reviewed again")
        }
        switch decision {
        case .accept(let caseID), .merge(let caseID):
            guard !caseID.rawValue.isEmpty else {
                throw DomainError.invalid("caseID", "a case ID is required", code: "candidate.case")
            }
        case .reject(let reason, let note):
            if let note {
                try TextRules.check(note, field: "note")
                guard note.count <= Self.maxNoteLength else {
                    throw DomainError.invalid("note", "note must be at most \(Self.maxNoteLength) characters", code: "candidate.note")
                }
            }
            if reason == .other, (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw DomainError.invalid("note", "a rejection for another reason needs a note saying which", code: "candidate.note")
            }
        }
        switch decision {
        case .accept(let caseID): state = .accepted(caseID)
        case .merge(let caseID): state = .merged(caseID)
        case .reject(let reason, let note):
            state = .rejected(reason)
            rejectReason = reason
            self.note = note
        }
        reviewedBy = reviewer
        reviewedAt = time
    }

    /// Files a pending candidate as `caseID` without review (自动立案), when `DetectionPrecision.autoFile` allows it.
    /// Not a review: it sets no reviewer and never counts in precision. A sampled candidate is never auto-filed.
    public mutating func autoFile(caseID: CaseID) throws {
        guard state == .pending else {
            throw DomainError(
                .invalidTransition, code: "candidate.reviewed", "candidate \(id) is already \(state.name); it cannot be filed again")
        }
        guard !sampled else {
            throw DomainError(
                .invalidTransition, code: "candidate.sampled", "candidate \(id) is a below-threshold sample; only a reviewer may file it")
        }
        guard !caseID.rawValue.isEmpty else { throw DomainError.invalid("caseID", "a case ID is required", code: "candidate.case") }
        state = .autoFiled(caseID)
    }

    /// The review as a precision fact; nil while pending or when auto-filed (neither is a review).
    public var reviewFact: CandidateReviewFact? {
        let outcome: CandidateReviewFact.Outcome
        switch state {
        case .pending, .autoFiled: return nil
        case .accepted, .merged: outcome = .truePositive
        case .rejected(let r): outcome = r.countsAgainstModel ? .falsePositive : .excluded
        }
        return CandidateReviewFact(cameraID: cameraID, type: type, models: models, sampled: sampled, outcome: outcome)
    }
}
