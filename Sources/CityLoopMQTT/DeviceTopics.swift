import Foundation

/// The MQTT topics of a city's devices (主题): a device publishes its readings to
/// `cityloop/{city}/devices/{deviceId}/readings`. CityLoop's nodes share one subscription to them
/// (`$share/cityloop/…`), so that each message reaches one node.
public struct DeviceTopics: Sendable, Hashable {
    /// The city's name in the topics (letters, digits, `_` and `-`).
    public var city: String

    /// The topics of `city`.
    public init(city: String) { self.city = city }

    /// Where a device publishes its readings.
    public func readings(of device: String) -> String { "cityloop/\(city)/devices/\(device)/readings" }

    /// The filter matching every device's readings.
    public var filter: String { "cityloop/\(city)/devices/+/readings" }

    /// The filter shared by CityLoop's connections and nodes.
    public var sharedFilter: String { "$share/cityloop/" + filter }

    /// The device a readings topic names; nil for any other topic.
    public func device(in topic: String) -> String? {
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "cityloop", parts[1] == city, parts[2] == "devices", parts[4] == "readings", !parts[3].isEmpty else {
            return nil
        }
        return String(parts[3])
    }

    /// Whether `city` can name a city in topics.
    public static func isCityName(_ city: String) -> Bool {
        !city.isEmpty && city.utf8.count <= 32 && city.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 45 }
    }
}
