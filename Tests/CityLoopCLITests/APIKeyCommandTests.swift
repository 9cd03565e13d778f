import Foundation
import Testing

/// `cityloop apikey`: create, list and revoke partners' keys in a real data folder.
@Suite("API keys on the command line")
struct APIKeyCommandTests {
    @Test func createListRevoke() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-apikey-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let (demo, demoOutput) = try ServerProcess.run(["demo", "--scale", "50", "--data", data.path, "--demo-password", "apikey-pw-1"])
        #expect(demo == 0, "\(demoOutput)")

        let (created, key) = try ServerProcess.run(["apikey", "create", "partner", "--label", "hotline-a", "--rate", "7", "--data", data.path])
        #expect(created == 0, "\(key)")
        let keyText = key.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(keyText.count >= 20, "\(key)")

        let (listed, list) = try ServerProcess.run(["apikey", "list", "--lang", "en", "--data", data.path])
        #expect(listed == 0)
        let line = try #require(list.split(separator: "\n").first { $0.contains("hotline-a") }, "\(list)")
        #expect(line.contains("7/min") && line.contains("account partner"), "\(line)")
        #expect(!list.contains(keyText), "the key itself is never shown again")
        #expect(list.contains("demo-partner"), "the demo's Open311 partner has its key: \(list)")

        let (revoked, revokeOutput) = try ServerProcess.run(["apikey", "revoke", "hotline-a", "--lang", "en", "--data", data.path])
        #expect(revoked == 0)
        #expect(revokeOutput.contains("revoked 1"), "\(revokeOutput)")
        let (_, after) = try ServerProcess.run(["apikey", "list", "--data", data.path])
        #expect(!after.contains("hotline-a"))

        let (again, _) = try ServerProcess.run(["apikey", "revoke", "hotline-a", "--data", data.path])
        #expect(again != 0, "nothing left to revoke is an error")
        let (nobody, nobodyOutput) = try ServerProcess.run(["apikey", "create", "nobody", "--lang", "en", "--data", data.path])
        #expect(nobody != 0)
        #expect(nobodyOutput.contains("nobody"), "\(nobodyOutput)")
        let (badRate, _) = try ServerProcess.run(["apikey", "create", "partner", "--rate", "0", "--data", data.path])
        #expect(badRate != 0)
    }
}
