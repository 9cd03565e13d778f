import Foundation

/// Something a reporter is told about their report (告知): which case, what happened, in Chinese and English.
public struct ReporterNotice: Hashable, Codable, Sendable {
    /// What happened.
    public enum Kind: String, Codable, Sendable {
        /// The reporter's case was merged into another case about the same problem (合并).
        case mergedInto = "merged_into"
        /// Another report of the same problem was merged into the reporter's case.
        case reportLinked = "report_linked"
    }

    /// What happened.
    public var kind: Kind
    /// The case the reporter now follows.
    public var caseID: CaseID
    /// Its number, as the reporter would quote it.
    public var caseNumber: String
    /// Who is told (their account and contact details).
    public var recipient: Reporter
    /// The message in Chinese.
    public var textZh: String
    /// The message in English.
    public var textEn: String
    /// When.
    public var at: Date

    /// Creates a notice.
    public init(kind: Kind, caseID: CaseID, caseNumber: String, recipient: Reporter, textZh: String, textEn: String, at: Date) {
        self.kind = kind
        self.caseID = caseID
        self.caseNumber = caseNumber
        self.recipient = recipient
        self.textZh = textZh
        self.textEn = textEn
        self.at = at
    }

    /// The notices of a merge: the merged case's reporters learn which case now carries their report, and the
    /// target's earlier reporters learn that another report joined theirs. Reporters without an account or a
    /// phone cannot be reached and get none; a person on both sides is told once, as a merged reporter.
    public static func merge(of merged: CaseRecord, into target: CaseRecord, at: Date) -> [ReporterNotice] {
        var told = Set<String>()
        func reachable(_ r: Reporter) -> Bool {
            guard r.userID != nil || r.phone != nil else { return false }
            return told.insert("\(r.userID?.rawValue ?? "")|\(r.phone ?? "")").inserted
        }
        var out: [ReporterNotice] = []
        for r in merged.reporters where reachable(r) {
            out.append(ReporterNotice(
                kind: .mergedInto, caseID: target.id, caseNumber: target.number, recipient: r,
                textZh: "您反映的问题（案卷 \(merged.number)）与案卷 \(target.number) 是同一问题，已合并办理，后续进展请查看案卷 \(target.number)。",
                textEn: "Your report (case \(merged.number)) is about the same problem as case \(target.number) and has been merged into it; follow case \(target.number) for progress.",
                at: at))
        }
        for r in target.reporters where !merged.reporters.contains(r) && reachable(r) {
            out.append(ReporterNotice(
                kind: .reportLinked, caseID: target.id, caseNumber: target.number, recipient: r,
                textZh: "另一位市民反映的同一问题（案卷 \(merged.number)）已并入您的案卷 \(target.number)。",
                textEn: "Another report of the same problem (case \(merged.number)) has been merged into your case \(target.number).",
                at: at))
        }
        return out
    }
}
