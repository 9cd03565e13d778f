import Foundation
import Testing

/// `cityloop import devices|readings` and `export devices`: a registry and a gauge's history brought in from files
/// on the command line (a vendor platform's export), the registry written back out in the form it is read.
@Suite("Device files on the command line")
struct DeviceFilesCommandTests {
    @Test func devicesAndTheirHistoryComeInFromFilesAndTheRegistryGoesBackOut() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-devfiles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let (demo, demoOutput) = try ServerProcess.run(["demo", "--scale", "50", "--data", data.path, "--demo-password", "devices-pw-1"])
        #expect(demo == 0, "\(demoOutput)")
        // the demo city's registry, written out, gives a point inside the city
        let (exported, registry) = try ServerProcess.run(["export", "devices", "--data", data.path])
        #expect(exported == 0 && registry.hasPrefix("id,profile,lat,lon,model,componentID,departmentID,reportingIntervalSeconds,attributes\n"), "\(registry.prefix(300))")
        let gauge = try #require(registry.split(separator: "\n").first { $0.contains(",waterLevel,") }).split(separator: ",", omittingEmptySubsequences: false)
        let (lat, lon) = (gauge[2], gauge[3])

        // MUT: two new gauges (one with a model holding a comma) and a bad line
        let devices = data.appendingPathComponent("gauges.csv")
        try """
            id,profile,lat,lon,model,attributes
            X-WL-1,waterLevel,\(lat),\(lon),"HY-200, rev 2",referenceLevel=5;alertLevel=1;dangerLevel=1.5
            X-WL-2,waterLevel,\(lat),\(lon),,referenceLevel=5;alertLevel=1;dangerLevel=1.5
            X-WL-3,waterLevel,nowhere,\(lon),,
            """.write(to: devices, atomically: true, encoding: .utf8)
        let (imported, importOutput) = try ServerProcess.run(["import", "devices", devices.path, "--lang", "en", "--data", data.path])
        #expect(imported == 0 && importOutput.contains("imported 2 devices, rejected 1 rows"), "\(importOutput)")

        // MUT: their history, wide: a day of readings every ten minutes, one line out of range
        let start = Int(Date().timeIntervalSince1970 * 1000) - 3 * 86_400_000
        var history = "device,at,measuredDistance\n"
        for i in 0..<144 { history += "X-WL-1,\(start + i * 600_000),\(4.0 + Double(i % 10) / 10)\nX-WL-2,\(start + i * 600_000),3.0\n" }
        history += "X-WL-2,\(start),99\n"
        let readings = data.appendingPathComponent("history.csv")
        try history.write(to: readings, atomically: true, encoding: .utf8)
        let (filled, fillOutput) = try ServerProcess.run(["import", "readings", readings.path, "--lang", "en", "--data", data.path])
        #expect(filled == 0, "\(fillOutput)")
        #expect(fillOutput.contains("288 readings accepted, 576 stored new (derived ones included); 1 refused, 0 lines unreadable"), "\(fillOutput)")
        #expect(fillOutput.contains("out_of_range\t1"), "\(fillOutput)")
        // the same file again stores nothing new
        let (_, againOutput) = try ServerProcess.run(["import", "readings", readings.path, "--lang", "en", "--data", data.path])
        #expect(againOutput.contains("288 readings accepted, 0 stored new"), "\(againOutput)")

        // validate: the registry written back holds them as they came in
        let (_, after) = try ServerProcess.run(["export", "devices", "--data", data.path])
        let line = try #require(after.split(separator: "\n").first { $0.hasPrefix("X-WL-1,") }, "\(after.suffix(400))")
        #expect(line.hasPrefix("X-WL-1,waterLevel,\(lat),\(lon),\"HY-200, rev 2\",,,") && line.hasSuffix(",alertLevel=1.0;dangerLevel=1.5;referenceLevel=5.0"), "\(line)")
        #expect(!after.contains("X-WL-3"), "\(after.suffix(400))")
        let (refused, refusedOutput) = try ServerProcess.run(["export", "readings", "--data", data.path])
        #expect(refused != 0 && refusedOutput.contains("/api/v1/devices/{id}/readings"), "\(refusedOutput)")

        // the broker's files: no device has a credential yet, CityLoop's own user reads every device's topic
        let (passwords, acl) = (data.appendingPathComponent("mqtt-passwords"), data.appendingPathComponent("mqtt-acl"))
        let (wrote, wroteOutput) = try ServerProcess.run([
            "mqtt-auth", "--password-file", passwords.path, "--acl-file", acl.path, "--service-user", "cityloop-svc", "--service-password", "svc-pw-1",
            "--city", "zz", "--lang", "en", "--data", data.path,
        ])
        #expect(wrote == 0 && wroteOutput.contains("wrote the MQTT passwords and ACL of 0 devices"), "\(wroteOutput)")
        #expect(try String(contentsOf: passwords, encoding: .utf8).hasPrefix("cityloop-svc:$7$101$"))
        #expect(try String(contentsOf: acl, encoding: .utf8).contains("user cityloop-svc\ntopic read cityloop/zz/#\n"))
        #expect(try String(contentsOf: acl, encoding: .utf8).contains("pattern write cityloop/zz/devices/%u/readings"))
        #expect((try FileManager.default.attributesOfItem(atPath: passwords.path)[.posixPermissions] as? Int) == 0o600)
    }
}
