import CityLoopDomain
import Foundation

// A node forwards every live item to the other nodes (one per report at intake), where `JSONEncoder` cost a
// seventh of a node's CPU: the items write themselves, as `JSONEncoder` would with sorted keys.

extension LiveEvent: JSONTextWritable {
    /// Writes the event as `JSONEncoder` would with sorted keys.
    public func write(to json: inout JSONText) {
        json.object { j in
            j.field("action", action)
            j.field("at", at)
            j.field("camera", camera)
            j.field("caseID", caseID)
            j.field("count", count)
            j.field("createdAt", createdAt)
            j.field("departmentID", departmentID)
            j.field("detectionType", detectionType)
            j.field("districtCode", districtCode)
            j.field("gridCode", gridCode)
            j.field("id", id)
            j.field("lastSeen", lastSeen)
            j.field("lat", lat)
            j.field("lon", lon)
            j.field("matterCode", matterCode)
            j.field("number", number)
            j.field("previousState", previousState)
            j.field("sampled", sampled)
            j.field("score", score)
            j.field("source", source)
            j.field("state", state)
            j.field("status", status)
            j.field("stepDueAt", stepDueAt)
            j.field("streetCode", streetCode)
            j.field("type", type)
            j.field("zone", zone)
        }
    }
}

extension LiveItem: JSONTextWritable {
    /// Writes the item as `JSONEncoder` would with sorted keys.
    public func write(to json: inout JSONText) {
        json.object { j in
            j.field("event", event)
            j.field("record", record)
        }
    }

    /// The item as it travels between nodes: JSON, dates in milliseconds since 1970.
    public var wireText: String { JSONText.text(self, dates: .millisecondsSince1970) }

    /// An item from its `wireText`; nil when the text is not one.
    public init?(wireText: String) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        guard let item = try? decoder.decode(LiveItem.self, from: Data(wireText.utf8)) else { return nil }
        self = item
    }
}
