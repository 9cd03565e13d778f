import Foundation

/// The MQTT topics of a city's devices (主题): a device publishes its readings to
/// `cityloop/{city}/devices/{deviceId}/readings`, a gateway the readings of the devices behind it (each entry
/// naming its device) to `cityloop/{city}/gateways/{gatewayId}/readings`. CityLoop's connections and nodes share one
/// subscription to them (`$share/cityloop/…`), so that each message reaches one of them.
public struct DeviceTopics: Sendable, Hashable {
    /// The city's name in the topics (letters, digits, `_` and `-`).
    public var city: String

    /// The topics of `city`.
    public init(city: String) { self.city = city }

    /// Where a device publishes its readings.
    public func readings(of device: String) -> String { "cityloop/\(city)/devices/\(device)/readings" }

    /// Where a gateway publishes its devices' readings.
    public func readings(ofGateway gateway: String) -> String { "cityloop/\(city)/gateways/\(gateway)/readings" }

    /// Where a camera (or the video platform in its name) publishes its detections.
    public func detections(of camera: String) -> String { "cityloop/\(city)/cameras/\(camera)/detections" }

    /// The filters matching every device's and gateway's readings and every camera's detections.
    public var filters: [String] {
        ["cityloop/\(city)/devices/+/readings", "cityloop/\(city)/gateways/+/readings", "cityloop/\(city)/cameras/+/detections"]
    }

    /// The filters shared by CityLoop's connections and nodes.
    public var sharedFilters: [String] { filters.map { "$share/cityloop/" + $0 } }

    /// Who sent to a readings topic.
    public enum Sender: Hashable, Sendable {
        case device(String)
        case gateway(String)
        case camera(String)
    }

    /// The device or gateway a readings topic names, or the camera a detections topic names; nil for any other topic.
    public func sender(in topic: String) -> Sender? {
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "cityloop", parts[1] == city, !parts[3].isEmpty else { return nil }
        switch (parts[2], parts[4]) {
        case ("devices", "readings"): return .device(String(parts[3]))
        case ("gateways", "readings"): return .gateway(String(parts[3]))
        case ("cameras", "detections"): return .camera(String(parts[3]))
        default: return nil
        }
    }

    /// Whether `city` can name a city in topics.
    public static func isCityName(_ city: String) -> Bool {
        !city.isEmpty && city.utf8.count <= 32 && city.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 45 }
    }
}
