import Foundation
import Testing

@testable import CityLoopDomain

@Suite("Reporter notices of a merge")
struct ReporterNoticeTests {
    static func record(_ id: CaseID, _ number: String, _ reporters: [Reporter]) -> CaseRecord {
        var c = CaseRecord(
            id: id, source: .citizen, matterCode: "06010", description: "x", point: GeoPoint(lat: 34.75, lon: 113.65),
            placement: Placement(grid: UnitGrid(code: "410102001001001", boundary: Polygon(outer: []))), state: .pendingFiling,
            reporters: reporters, createdAt: Date(timeIntervalSince1970: 0))
        c.number = number
        return c
    }

    @Test("merged reporters learn the carrying case, earlier ones that a report joined; unreachable and repeated people get none")
    func merge() {
        let citizen = Reporter(userID: "u-citizen", source: .citizen, caseID: "b")
        let caller = Reporter(userID: "u-operator", name: "张三", phone: "13812345678", source: .hotline, caseID: "a")
        let anonymous = Reporter(source: .sensor, caseID: "a")
        let merged = Self.record("b", "E060102026112400002", [citizen])
        // The target as committed: its own reporters, then the merged case's.
        let target = Self.record("a", "E060102026112400001", [caller, anonymous, citizen])
        let notices = ReporterNotice.merge(of: merged, into: target, at: Date(timeIntervalSince1970: 60))
        #expect(notices.map(\.kind) == [.mergedInto, .reportLinked])
        #expect(notices[0].recipient == citizen && notices[0].caseNumber == "E060102026112400001")
        #expect(notices[0].textZh.contains("E060102026112400002") && notices[0].textZh.contains("E060102026112400001"))
        #expect(notices[1].recipient == caller && notices[1].caseID == "a")
        #expect(notices.allSatisfy { $0.at == Date(timeIntervalSince1970: 60) })
        // Someone who reported both cases is told once.
        let both = Self.record("c", "E060102026112400003", [citizen])
        #expect(ReporterNotice.merge(of: both, into: Self.record("a", "E060102026112400001", [citizen, citizen]), at: .now).count == 1)
    }

    @Test("citizens and hotline callers hear of filing, dispatch, closing and refusal; staff and machines do not")
    func progress() {
        let citizen = Reporter(userID: "u-citizen", source: .citizen, caseID: "a")
        let caller = Reporter(userID: "u-operator", name: "张三", phone: "13812345678", source: .hotline, caseID: "a")
        let inspector = Reporter(userID: "u-insp", source: .inspector, caseID: "a")
        var c = Self.record("a", "E060102026112400001", [citizen, caller, inspector])
        let names: (DepartmentID) -> (zh: String, en: String)? = { $0 == "sanitation" ? ("环卫处", "Sanitation") : nil }
        let at = Date(timeIntervalSince1970: 0)
        func kinds(_ action: CaseAction, _ comment: String? = nil) -> [ReporterNotice] {
            ReporterNotice.progress(of: c, after: action, comment: comment, department: names, at: at)
        }
        c.state = .pendingDispatch
        #expect(kinds(.file).map(\.kind) == [.filed, .filed])
        #expect(kinds(.file).map(\.recipient) == [citizen, caller])
        c.state = .dispatched
        c.leadDepartmentID = "sanitation"
        #expect(kinds(.file).first?.textZh == "您反映的问题已立案（案卷 E060102026112400001），并派遣至环卫处处置。")
        #expect(kinds(.dispatch).first?.textEn == "Your report (case E060102026112400001) has been sent to Sanitation to be handled.")
        c.state = .inProgress
        #expect(kinds(.accept).isEmpty)
        c.state = .closed
        #expect(kinds(.close).map(\.kind) == [.closed, .closed])
        c.state = .rejected
        let refused = kinds(.reject, "不属于受理范围")
        #expect(refused.first?.kind == .notAccepted && refused.first?.textZh.contains("原因：不属于受理范围") == true)
        // A case reported by staff only tells no one.
        c.reporters = [inspector]
        #expect(kinds(.reject, "x").isEmpty)
    }
}
