import ArgumentParser
import CityLoopServices
import Foundation

/// `cityloop mqtt-auth`: Mosquitto's password file and ACL from the devices' credentials (设备接入鉴权).
struct MQTTAuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqtt-auth", abstract: "Write Mosquitto's password file and ACL from the devices' credentials (设备接入鉴权).",
        discussion: """
            Each device with a credential (POST /api/v1/devices/{id}/credentials) signs in with its ID as the username and \\
            its credential as the password, and may publish only to cityloop/{city}/devices/{its ID}/readings. CityLoop's \\
            own user (mqtt.username and mqtt.password) may read every device's topic. Point the broker's password_file and \\
            acl_file at the files, set allow_anonymous false, and send it SIGHUP after each run to reload them.
            """)
    @OptionGroup var options: DataOptions
    @Option(help: "Where to write the password file.") var passwordFile: String
    @Option(help: "Where to write the ACL file.") var aclFile: String
    @Option(help: "The city's name in the topics (default mqtt.city, else city).") var city: String?
    @Option(help: "CityLoop's own MQTT user (default mqtt.username); none: only the devices' lines.") var serviceUser: String?
    @Option(help: "Its password (default mqtt.password).") var servicePassword: String?

    func run() async throws {
        let settings = try await options.settings()
        let m = settings.messages
        let (platform, _) = try await settings.openPlatform()
        let service = (serviceUser ?? settings.mqtt?.username).map { ($0, servicePassword ?? settings.mqtt?.password ?? "") }
        let files = try await DeviceRegistry(platform: platform).mosquittoFiles(city: city ?? settings.mqtt?.city ?? "city", service: service)
        // Readable by the broker's user only: the hashes are of the devices' secrets.
        for (path, text) in [(passwordFile, files.passwords), (aclFile, files.acl)] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
        let devices = files.passwords.split(separator: "\n").count - (service == nil ? 0 : 1)
        print(m.t("已写入 \(devices) 台设备的 MQTT 密码和访问控制", "wrote the MQTT passwords and ACL of \(devices) devices"))
    }
}
