import AsyncHTTPClient
import Foundation
import Testing

/// The configuration layers of a real `cityloop serve`: command line, then environment, then JSON file, then defaults.
@Suite("Configuration layers", .serialized)
struct SettingsTests {
    @Test("the file sets what nothing else sets; the environment beats the file; the command line beats both")
    func layers() async throws {
        // setup: a config file with a port, a language and a demo password
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-settings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let filePort = ServerProcess.randomPort(), envPort = filePort + 1
        let file = data.appendingPathComponent("cityloop.json")
        try #"{"port": \#(filePort), "lang": "en", "log": {"level": "info"}, "demo": {"password": "file-password-1"}, "open311": {"path": "/311/v2"}, "media": "\#(data.path)/evidence-store"}"#
            .write(to: file, atomically: true, encoding: .utf8)
        // MUT: the port also in the environment, the password also on the command line
        let server = try ServerProcess(
            data: data, port: envPort,
            arguments: ["serve", "--demo", "--scale", "50", "--config", file.path, "--data", data.path, "--demo-password", "cli-password-1"],
            environment: ["CITYLOOP_PORT": String(envPort)])
        defer { server.stop() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            // validate: listening on the environment's port, the command line's password works, the file's does not
            try await server.waitReady(client)
            _ = try await HTTP.login(client, server.base, "operator", "cli-password-1")
            let (status, _) = try await HTTP.post(
                client, server.base + "/api/v1/auth/login", token: nil, json: #"{"username":"operator","password":"file-password-1"}"#)
            #expect(status == 401)
            // the evidence files' folder from the file
            #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("evidence-store").path))
            // Open311 at the file's path; the demo partner's API key is the demo password
            let form = "application/x-www-form-urlencoded"
            let (services, _) = try await HTTP.send(client, server.base + "/311/v2/services.json", get: true)
            #expect(services == 200)
            let (wrongKey, wrongBody) = try await HTTP.send(
                client, server.base + "/311/v2/requests.json", contentType: form, body: "api_key=file-password-1&service_code=06001")
            #expect(wrongKey == 403, "\(wrongBody)")
            let (rightKey, rightBody) = try await HTTP.send(
                client, server.base + "/311/v2/requests.json", contentType: form, body: "api_key=cli-password-1&service_code=06001")
            #expect(rightKey == 400 && rightBody.contains("lat"), "the key is accepted; the location is missing: \(rightBody)")
            // the file's language: the log is in English
            let log = try String(contentsOf: server.log, encoding: .utf8)
            #expect(log.contains("CityLoop is listening"), "\(log)")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("a bad value or a missing explicit file stops the command with a message naming it")
    func badConfiguration() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-badsettings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let file = data.appendingPathComponent("bad.json")
        try #"{"port": "eighty"}"#.write(to: file, atomically: true, encoding: .utf8)
        let (code, output) = try ServerProcess.run(["serve", "--config", file.path, "--data", data.path])
        #expect(code != 0)
        #expect(output.contains("port"), "\(output)")
        try #"{"notify": {"webhook": "ftp://example.test/hook"}}"#.write(to: file, atomically: true, encoding: .utf8)
        let (hookCode, hookOutput) = try ServerProcess.run(["serve", "--config", file.path, "--data", data.path])
        #expect(hookCode != 0)
        #expect(hookOutput.contains("notify.webhook"), "\(hookOutput)")
        try #"{"open311": {"path": "open311"}}"#.write(to: file, atomically: true, encoding: .utf8)
        let (pathCode, pathOutput) = try ServerProcess.run(["serve", "--config", file.path, "--data", data.path])
        #expect(pathCode != 0)
        #expect(pathOutput.contains("open311.path"), "\(pathOutput)")
        for bad in [#"{"jt808": {"authSeconds": 0}}"#, #"{"jt808": {"idleSeconds": "forever"}}"#] {
            try bad.write(to: file, atomically: true, encoding: .utf8)
            let (jt808Code, jt808Output) = try ServerProcess.run(["serve", "--config", file.path, "--data", data.path])
            #expect(jt808Code != 0)
            #expect(jt808Output.contains(bad.contains("auth") ? "jt808.authSeconds" : "jt808.idleSeconds"), "\(jt808Output)")
        }
        let (missingCode, _) = try ServerProcess.run(["verify", "--config", data.appendingPathComponent("absent.json").path, "--data", data.path])
        #expect(missingCode != 0)
        // nothing was created for the refused start
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("cityloop.sqlite").path))
    }
}
