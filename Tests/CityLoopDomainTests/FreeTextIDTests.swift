import CityLoopDomain
import Testing

@Suite("IDs written as text")
struct FreeTextIDTests {
    static func accepts(_ id: String) -> Bool {
        (try? FreeTextID.check(id, what: "a permit number", code: "permit.id")) != nil
    }

    @Test("a permit number as the city writes it passes: Chinese, brackets, spaces, a colon, 64 characters")
    func writtenNumbersPass() {
        for id in ["郑渣准字〔2026〕第0012号", "ZY 0012", "CS:001", "a.b", "...", String(repeating: "字", count: 64)] {
            #expect(Self.accepts(id), "\(id)")
        }
    }

    @Test("blank, too long, a slash, a control character, . and .. are refused naming the field")
    func unusableIDsAreRefused() {
        for id in ["", " ", "\n\n", "\u{3000}", String(repeating: "x", count: 65), "ZY/1", "ZY\u{0}1", "ZY\t1", "ZY\u{85}1", ".", ".."] {
            #expect(!Self.accepts(id), "\(id.debugDescription)")
        }
        do {
            try FreeTextID.check("a/b", field: "[0].id", what: "a site's ID", code: "site.id")
            Issue.record("a/b passed")
        } catch let e as DomainError {
            #expect(e.field == "[0].id" && e.code == "site.id" && e.message.hasPrefix("a site's ID is 1–64 characters"), "\(e)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
