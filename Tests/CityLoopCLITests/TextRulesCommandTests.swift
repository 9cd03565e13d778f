import Foundation
import Testing

/// The command line refuses control characters in text as the API does (issue 13 §1): `user`, `report`, `case act`.
@Suite("Text rules on the command line")
struct TextRulesCommandTests {
    @Test func controlCharactersAreRefusedNamingTheField() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-text-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let (demo, demoOutput) = try ServerProcess.run(["demo", "--scale", "50", "--data", data.path, "--demo-password", "text-rules-pw-1"])
        #expect(demo == 0, "\(demoOutput)")

        let (user, userOutput) = try ServerProcess.run(
            ["user", "zhang", "--role", "citizen", "--password", "text-rules-pw-2", "--name", "张\u{1B}[31m三", "--data", data.path])
        #expect(user != 0)
        #expect(userOutput.contains("name") && userOutput.contains("U+001B"), "\(userOutput)")

        let (report, reportOutput) = try ServerProcess.run(
            ["report", "--as", "citizen", "--matter", "06010", "--lat", "34.75", "--lon", "113.65", "--description", "垃圾\u{7}堆", "--data", data.path])
        #expect(report != 0)
        #expect(reportOutput.contains("description") && reportOutput.contains("U+0007"), "\(reportOutput)")

        let (act, actOutput) = try ServerProcess.run(
            ["case", "act", "E000000000000000000", "urge", "--as", "leader", "--comment", "快\u{85}", "--data", data.path])
        #expect(act != 0)
        #expect(actOutput.contains("comment") && actOutput.contains("U+0085"), "\(actOutput)")
    }
}
