import Foundation
import Testing

/// Bidi controls in what users type (U+202E RIGHT-TO-LEFT OVERRIDE…) are stored as typed, so the console must show
/// user text isolated or one description could reorder the line it sits in (issue 13 §1). A static check of the
/// console's sources: the stylesheet isolates `.user-text`, `userText` builds a `<bdi>`, and no view puts a
/// description, comment, address or person's name into the page without it.
@Suite struct ConsoleBidiIsolationTests {
    static let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/CityLoopHTTP/Web")

    static func read(_ path: String) throws -> String { try String(contentsOf: web.appendingPathComponent(path), encoding: .utf8) }

    @Test func theStylesheetIsolatesUserTextAndTheHelperBuildsBdi() throws {
        let css = try Self.read("css/app.css")
        let rule = try #require(css.range(of: #"[^{}]*\.user-text[^{}]*\{[^}]*\}"#, options: .regularExpression), "no .user-text rule")
        #expect(css[rule].contains("unicode-bidi: isolate"))
        let core = try Self.read("js/core.js")
        let helper = try #require(core.range(of: #"export function userText\([^)]*\) \{[^}]*\}"#, options: .regularExpression))
        #expect(core[helper].contains("h('bdi'"))
    }

    /// Every place a view builds DOM with a user's text wraps it in `userText(…)`; a field used as a condition
    /// (`c.address ? …`) is not shown and needs nothing.
    @Test func everyViewShowsUserTextIsolated() throws {
        let views = try FileManager.default.contentsOfDirectory(atPath: Self.web.appendingPathComponent("js/views").path).filter { $0.hasSuffix(".js") }
        #expect(views.count > 20)
        let field = try Regex(#"\b[A-Za-z]+\??\.(description|comment|address|actorName)\b(?!\s*(\?|&&|!==|===|\.trim|\.value|\)\s*\{))"#)
        let build = try Regex(#"(^|[^A-Za-z_.])h\("#)
        var unwrapped: [String] = []
        for file in views.sorted() {
            let lines = try Self.read("js/views/\(file)").split(separator: "\n", omittingEmptySubsequences: false)
            for (n, line) in lines.enumerated() where line.contains(build) && !line.contains("body.") {
                for m in line.matches(of: field) {
                    let before = line[line.startIndex..<m.range.lowerBound]
                    let lastH = before.range(of: "h(", options: .backwards)?.lowerBound ?? before.startIndex
                    if !before[lastH...].contains("userText(") && !before.hasSuffix("`") { unwrapped.append("\(file):\(n + 1): \(line[m.range])") }
                }
            }
        }
        #expect(unwrapped.isEmpty, "user text shown without userText(): \(unwrapped)")
    }
}
