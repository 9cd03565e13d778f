import Foundation

/// The rule for an ID people write as text rather than from letters and digits: a site's number (场地编号), a
/// transport permit's number (准运证编号, e.g. 郑渣准字〔2026〕第0012号). It is 1–64 characters, not blank, without `/` or
/// control characters, and not `.` or `..`: such an ID is one segment of the API's paths
/// (`DELETE /api/v1/transport-permits/{id}`), which a `/` would split and which a browser resolves as a directory
/// step when it is `.` or `..`. Vehicle and driver IDs keep their stricter rule (letters, digits and `_ . : -`).
public enum FreeTextID {
    /// The most characters an ID has.
    public static let maxLength = 64

    /// Throws an invalid-input error naming `field` when `id` breaks the rule; `what` names the ID in the message
    /// ("a permit number"), `code` is the error's code.
    public static func check(_ id: String, field: String = "id", what: String, code: String) throws {
        let blank = id.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        let refused = id.unicodeScalars.contains { $0 == "/" || $0.properties.generalCategory == .control }
        guard !blank, id.count <= maxLength, !refused, id != ".", id != ".." else {
            throw DomainError.invalid(
                field, "\(what) is 1–\(maxLength) characters, not blank, without / or control characters, and not . or ..", code: code)
        }
    }
}
