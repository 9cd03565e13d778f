import CityLoopDomain
import Foundation
import Testing

/// Company notices: every store keeps one notice per ID, lists them newest first by company and state, and replaces
/// one only at the version it was read at.
@Suite("Company notice store conformance")
struct CompanyNoticeStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func notice(_ company: String, day: String, issuedHours: Double) -> CompanyNotice {
        let e = StoredVehicleEvent(seq: 7, event: VehicleEvent(kind: .speeding, vehicleID: "truck-1", time: t0, point: nil, measured: 72, limit: 60))
        return CompanyNotice.compose(companyID: DepartmentID(company), day: day, events: [e], issuedAt: t0.addingTimeInterval(issuedHours * 3600))!
    }

    @Test("a notice is kept once, listed newest first by company and state, and replaced only at its version", arguments: StoreKind.allCases)
    func notices(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let a = Self.notice("haulage-1", day: "2026-09-20", issuedHours: 0)
            let b = Self.notice("haulage-1", day: "2026-09-21", issuedHours: 24)
            let c = Self.notice("haulage-2", day: "2026-09-21", issuedHours: 24)
            for n in [a, b, c] {
                let inserted = try await store.insertCompanyNotice(n)
                #expect(inserted)
            }
            let again = try await store.insertCompanyNotice(a)
            #expect(!again)
            #expect(try await store.companyNotice(id: a.id) == a)
            #expect(try await store.companyNotice(id: "ZG-none") == nil)
            #expect(try await store.companyNotices(companyID: nil, state: nil, limit: 10).map(\.id) == [b.id, c.id, a.id])
            #expect(try await store.companyNotices(companyID: "haulage-1", state: nil, limit: 1).map(\.id) == [b.id])

            var replied = a
            try replied.reply("已整改", by: "u-h", at: Self.t0.addingTimeInterval(3600))
            try await store.updateCompanyNotice(replied, expectedVersion: 1)
            #expect(try await store.companyNotice(id: a.id) == replied)
            #expect(try await store.companyNotices(companyID: nil, state: .replied, limit: 10).map(\.id) == [a.id])
            #expect(try await store.companyNotices(companyID: "haulage-1", state: .issued, limit: 10).map(\.id) == [b.id])
            // A second writer that read version 1 loses.
            var stale = a
            try stale.reply("另一回复", by: "u-h2", at: Self.t0.addingTimeInterval(3700))
            await #expect(throws: DomainError.noticeChanged) { try await store.updateCompanyNotice(stale, expectedVersion: 1) }
            #expect(try await store.companyNotice(id: a.id)?.reply == "已整改")
        }
    }
}
