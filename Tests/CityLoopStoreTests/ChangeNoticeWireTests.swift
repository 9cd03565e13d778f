import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// What travels between nodes: change notices as lines and live items as JSON written by hand, which must read
/// back to the same values and equal what `JSONEncoder` writes; text that is not a notice is no notice.
@Suite("Change notices and live items on the wire")
struct ChangeNoticeWireTests {
    static let awkward = "a/b\"c\\d\u{1}\n\r\t\u{7f}\u{2028} 中文 😀"

    @Test("notices of every topic, with and without a payload, read back as sent")
    func noticesRoundTrip() {
        for topic in [ChangeNotice.Topic.reference, .accounts, .live] {
            for payload in [nil, "", "{\"a\":1}", Self.awkward] {
                let notice = ChangeNotice(topic: topic, node: "host-42-abcd1234", payload: payload)
                #expect(ChangeNotice(wireText: notice.wireText) == notice)
            }
        }
    }

    @Test("text that is not a notice is refused", arguments: ["", "live", "live\n", "nonsense\nnode", "\nnode", "LIVE\nnode\n{}"])
    func notNotices(text: String) {
        #expect(ChangeNotice(wireText: text) == nil)
    }

    @Test("live items: the same bytes as JSONEncoder, read back equal")
    func liveItems() throws {
        let placement = Placement(grid: UnitGrid(code: "410102001001001", boundary: Polygon(outer: [])))
        var record = CaseRecord(
            id: "0190a3c2-7d1e-7abc-8def-0123456789ab", source: .citizen, matterCode: "06010", description: Self.awkward,
            point: GeoPoint(lat: 34.75, lon: 113.65), placement: placement, state: .dispatched,
            createdAt: Date(timeIntervalSince1970: 1_783_299_600.123))
        record.number = "E060102026070600017"
        record.leadDepartmentID = "sanitation"
        record.stepDueAt = Date(timeIntervalSince1970: 1_783_303_200)
        let at = Date(timeIntervalSince1970: 1_783_299_601.5)
        let input = DetectionInput(
            cameraID: "cam-1", time: Date(timeIntervalSince1970: 1_783_299_500.25), type: .exposedGarbage, score: 0.875, boxes: [], model: "yolo",
            modelVersion: "8.1")
        let pending = DetectionCandidate(
            id: "0190a3c2-7d1e-7abc-8def-0123456789ac", key: CandidateKey(cameraID: "cam-1", type: .exposedGarbage, zoneID: Self.awkward),
            matterCode: "06010", first: input, snapshot: "m-1")
        var filed = pending
        filed.state = .autoFiled(record.id)
        let items = [
            LiveItem(event: LiveEvent(case: record, previous: .pendingFiling, action: "dispatch", at: at), record: record),
            LiveItem(event: LiveEvent(case: record, previous: nil, action: "report", at: at), record: record),
            LiveItem(event: LiveEvent(alert: Self.awkward, severity: "major", matterCode: "06", areaCode: "410102001", at: at), record: nil),
            LiveItem(event: LiveEvent(unplaced: "r-1", placed: true, caseNumber: "E1", at: at), record: nil),
            LiveItem(event: LiveEvent(candidate: pending, at: at), record: nil),
            LiveItem(event: LiveEvent(candidate: filed, at: at), record: nil),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        for item in items {
            #expect(item.wireText == String(decoding: try encoder.encode(item), as: UTF8.self))
            let back = try #require(LiveItem(wireText: item.wireText))
            #expect(back.event == item.event)
            #expect(back.record == item.record)
            #expect(!item.wireText.contains("\n"), "a live item is one line of the notice")
        }
        #expect(LiveItem(wireText: "{\"event\":1}") == nil)
    }
}
