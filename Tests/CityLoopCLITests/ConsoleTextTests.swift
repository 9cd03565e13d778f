import Foundation
import Testing

/// The web console's text, read from the files (no browser, no server): every user-visible string goes through the
/// translation tables, the two languages have the same keys, every key the pages ask for exists, and the merged
/// tables are up to date with their parts (scripts/i18n-merge).
@Suite struct ConsoleTextTests {
    /// `Sources/CityLoopHTTP/Web`, found from this file (Tests/CityLoopCLITests/ConsoleTextTests.swift).
    static let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/CityLoopHTTP/Web")

    /// Every `.js` file under `js/`, relative path → text.
    static func scripts() throws -> [(path: String, text: String)] {
        let root = web.appendingPathComponent("js")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw TestFailure("cannot list \(root.path)")
        }
        var out: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "js" {
            let relative = String(url.standardizedFileURL.path.dropFirst(web.standardizedFileURL.path.count + 1))
            out.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// A flat translation table (`i18n/zh.json`, or a part such as `i18n/parts/core.en.json`).
    static func table(_ relative: String) throws -> [String: String] {
        let data = try Data(contentsOf: web.appendingPathComponent(relative))
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    /// CJK ideographs, CJK punctuation (U+3000–U+303F) and full-width forms (U+FF00–U+FFEF).
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) || (0x3000...0x303F).contains(s.value) || (0xFF00...0xFFEF).contains(s.value)
    }

    /// The line number (1-based) of a UTF-16 offset in a text.
    static func line(of offset: Int, in text: String) -> Int {
        let prefix = (text as NSString).substring(to: offset)
        return prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// All matches of a pattern: for each, the first non-empty capture group among `groups`, and its line.
    static func captures(_ pattern: String, groups: [Int], in text: String) throws -> [(value: String, line: Int)] {
        let regex = try NSRegularExpression(pattern: pattern, options: [])
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            for g in groups where m.range(at: g).location != NSNotFound {
                return (ns.substring(with: m.range(at: g)), line(of: m.range.location, in: text))
            }
            return nil
        }
    }

    @Test func scriptsContainNoChineseText() throws {
        let files = try Self.scripts()
        #expect(files.count > 10, "found only \(files.map(\.path)) under \(Self.web.path)/js")
        var hits: [String] = []
        for (path, text) in files {
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.unicodeScalars.contains(where: Self.isCJK) {
                let chars = String(String.UnicodeScalarView(line.unicodeScalars.filter(Self.isCJK)))
                hits.append("\(path):\(n + 1) [\(chars)]: \(line.trimmingCharacters(in: .whitespaces).prefix(140))")
            }
        }
        #expect(hits.isEmpty, "user-visible text belongs in i18n/*.json (t('key')); write other CJK characters as \\u escapes:\n\(hits.joined(separator: "\n"))")
    }

    @Test func bothLanguagesHaveTheSameKeysAndNoEmptyText() throws {
        let zh = try Self.table("i18n/zh.json")
        let en = try Self.table("i18n/en.json")
        #expect(zh.count > 100, "zh.json has \(zh.count) keys")
        let onlyZh = Set(zh.keys).subtracting(en.keys).sorted()
        let onlyEn = Set(en.keys).subtracting(zh.keys).sorted()
        #expect(onlyZh.isEmpty, "keys missing in en.json: \(onlyZh)")
        #expect(onlyEn.isEmpty, "keys missing in zh.json: \(onlyEn)")
        for (name, table) in [("zh", zh), ("en", en)] {
            let empty = table.filter { $0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.keys.sorted()
            #expect(empty.isEmpty, "empty texts in \(name).json: \(empty)")
        }
        // The same {placeholders} in both languages (t() fills them by name; a missing one shows as "{name}").
        let placeholder = try NSRegularExpression(pattern: #"\{(\w+)\}"#)
        func names(_ s: String) -> Set<String> {
            let ns = s as NSString
            return Set(placeholder.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) })
        }
        let mismatched = zh.keys.sorted().filter { key in en[key].map { names($0) != names(zh[key]!) } ?? false }
            .map { "\($0): zh \(names(zh[$0]!).sorted()) en \(names(en[$0]!).sorted())" }
        #expect(mismatched.isEmpty, "placeholders differ between the languages:\n\(mismatched.joined(separator: "\n"))")
    }

    @Test func everyKeyThePagesUseExistsInBothLanguages() throws {
        let zh = try Self.table("i18n/zh.json")
        let en = try Self.table("i18n/en.json")
        var used: [(key: String, at: String)] = []
        var prefixes: [(prefix: String, at: String)] = []
        for (path, text) in try Self.scripts() {
            // t('key') / t("key") / t(`key`) with a literal key as the whole first argument; field('key', …) and
            // ffield('key', …) label a control with a key too.
            let literal = #"(?<![\w$.])(?:t|field|ffield)\(\s*(?:'([^'\\\n]+)'|"([^"\\\n]+)"|`([^`\\$\n]+)`)\s*[,)]"#
            for hit in try Self.captures(literal, groups: [1, 2, 3], in: text) { used.append((hit.value, "\(path):\(hit.line)")) }
            // t(`prefix.${x}`): some key must start with the literal prefix.
            for hit in try Self.captures(#"(?<![\w$.])t\(\s*`([\w.]+)\$\{"#, groups: [1], in: text) {
                prefixes.append((hit.value, "\(path):\(hit.line)"))
            }
        }
        let html = try String(contentsOf: Self.web.appendingPathComponent("index.html"), encoding: .utf8)
        for hit in try Self.captures(#"data-t="([^"]+)""#, groups: [1], in: html) { used.append((hit.value, "index.html:\(hit.line)")) }
        #expect(used.count > 300, "found only \(used.count) keys in use: the pattern no longer matches the pages' code")

        let missing = used.filter { zh[$0.key] == nil || en[$0.key] == nil }
            .map { "\($0.at): '\($0.key)'\(zh[$0.key] == nil ? " (not in zh.json)" : "")\(en[$0.key] == nil ? " (not in en.json)" : "")" }
        #expect(missing.isEmpty, "keys used by the pages but missing from the tables:\n\(missing.joined(separator: "\n"))")
        let badPrefixes = prefixes.filter { p in !zh.keys.contains { $0.hasPrefix(p.prefix) } || !en.keys.contains { $0.hasPrefix(p.prefix) } }
            .map { "\($0.at): t(`\($0.prefix)${…}`)" }
        #expect(badPrefixes.isEmpty, "no key starts with these computed keys' prefixes:\n\(badPrefixes.joined(separator: "\n"))")
    }

    @Test func mergedTablesAreUpToDateWithTheirParts() throws {
        let folder = Self.web.appendingPathComponent("i18n/parts")
        let parts = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(parts.contains("core.zh.json") && parts.contains("core.en.json"), "parts: \(parts)")
        for lang in ["zh", "en"] {
            let merged = try Self.table("i18n/\(lang).json")
            var fromParts: [String: String] = [:]
            var problems: [String] = []
            for part in parts where part.hasSuffix(".\(lang).json") {
                for (key, value) in try Self.table("i18n/parts/\(part)") {
                    if fromParts[key] != nil { problems.append("\(key) is defined in two parts (\(part))") }
                    fromParts[key] = value
                    if merged[key] == nil {
                        problems.append("\(part): \(key) is not in \(lang).json")
                    } else if merged[key] != value {
                        problems.append("\(part): \(key) is \"\(value)\" but \(lang).json has \"\(merged[key]!)\"")
                    }
                }
            }
            for key in Set(merged.keys).subtracting(fromParts.keys).sorted() { problems.append("\(lang).json: \(key) is in no part") }
            #expect(problems.isEmpty, "run scripts/i18n-merge:\n\(problems.joined(separator: "\n"))")
        }
        // Each area has both languages.
        let areas = { (lang: String) in Set(parts.filter { $0.hasSuffix(".\(lang).json") }.map { $0.dropLast(".\(lang).json".count) }) }
        #expect(areas("zh") == areas("en"), "parts without their other language: \(areas("zh").symmetricDifference(areas("en")).sorted())")
    }
}
