@testable import CityLoopDomain
import Foundation
import Testing

/// Rectification notices (整改通知书): composed from a company's day of events (the policy's kinds, counted), replied
/// to, sent back with a note and a new due time, closed; each step only from its state, texts checked.
@Suite struct CompanyNoticeTests {
    typealias F = VehicleFixtures

    static func event(_ seq: Int64, _ kind: VehicleEvent.Kind, minutes: Double) -> StoredVehicleEvent {
        StoredVehicleEvent(seq: seq, event: VehicleEvent(kind: kind, vehicleID: F.truckID, time: F.local(8).addingTimeInterval(minutes * 60), point: nil))
    }

    @Test func aNoticeListsTheDaysBreachesOldestFirstAndCountsThem() throws {
        let events = [Self.event(3, .speeding, minutes: 30), Self.event(1, .enteredSite, minutes: 0), Self.event(2, .offRoute, minutes: 10),
                      Self.event(4, .speeding, minutes: 40)]
        let n = try #require(CompanyNotice.compose(companyID: "haulage-1", day: "2026-05-01", events: events, issuedAt: F.local(24, 30)))
        #expect(n.id == "ZG-2026-05-01-haulage-1" && n.state == .issued && n.version == 1)
        #expect(n.events.map(\.seq) == [2, 3, 4])
        #expect(n.counts == [.offRoute: 1, .speeding: 2])
        #expect(n.dueAt == F.local(24 + 72, 30))
        #expect(!n.isOverdue(at: F.local(24 + 72, 30)) && n.isOverdue(at: F.local(24 + 72, 31)))
        // Entering and leaving sites alone make no notice.
        #expect(CompanyNotice.compose(companyID: "haulage-1", day: "2026-05-01", events: [Self.event(1, .leftSite, minutes: 0)], issuedAt: F.local(25)) == nil)
        // The counts survive JSON (kinds as keys).
        let data = try JSONEncoder().encode(n)
        #expect(try JSONDecoder().decode(CompanyNotice.self, from: data) == n)
        #expect(String(decoding: data, as: UTF8.self).contains("\"speeding\":2"))
    }

    @Test func aReplyIsSentBackThenRepliedAgainAndClosed() throws {
        var n = try #require(CompanyNotice.compose(companyID: "haulage-1", day: "2026-05-01", events: [Self.event(1, .speeding, minutes: 0)], issuedAt: F.local(25)))
        #expect(throws: DomainError.self) { try n.close(by: "u-lead", at: F.local(26)) }
        #expect(throws: DomainError.self) { try n.reply("  ", by: "u-h", at: F.local(26)) }
        #expect(throws: DomainError.self) { try n.reply("改\u{7}", by: "u-h", at: F.local(26)) }
        try n.reply("已对司机进行安全教育 Drivers retrained", by: "u-h", at: F.local(26))
        #expect(n.state == .replied && n.version == 2 && n.repliedBy == "u-h")
        #expect(throws: DomainError.self) { try n.reply("again", by: "u-h", at: F.local(27)) }
        try n.sendBack(note: "请附培训记录 Attach the training record", by: "u-lead", at: F.local(30))
        #expect(n.state == .issued && n.reply == nil && n.rejections.count == 1 && n.rejections[0].reply.hasPrefix("已对司机") && n.dueAt == F.local(30 + 72))
        try n.reply("附培训签到表 Record attached", by: "u-h", at: F.local(31))
        try n.close(by: "u-lead", at: F.local(32))
        #expect(n.state == .closed && n.version == 5 && n.closedBy == "u-lead" && !n.isOverdue(at: F.local(500)))
        #expect(throws: DomainError.self) { try n.sendBack(note: "x", by: "u-lead", at: F.local(33)) }
    }
}
