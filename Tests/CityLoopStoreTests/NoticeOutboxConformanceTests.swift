import CityLoopDomain
import Foundation
import Testing

/// The notice outbox: queued with the change in one commit, then due, retried and delivered.
@Suite("Notice outbox conformance")
struct NoticeOutboxConformanceTests {
    static func notices(for c: CaseRecord, at: Date) -> [ReporterNotice] {
        ["u-1", "u-2"].enumerated().map { i, user in
            ReporterNotice(
                id: "\(c.id.rawValue):\(c.eventCount):\(i)", kind: .filed, caseID: c.id, caseNumber: c.number,
                recipient: Reporter(userID: UserID(user), source: .citizen), textZh: "已立案", textEn: "filed", at: at)
        }
    }

    @Test("notices are queued only with a successful commit, then due, retried after a failure and delivered once",
          arguments: StoreKind.allCases)
    func outbox(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (record, first) = Fixture.newCase(source: .sensor)
            let created = try await store.createCase(record, firstEvent: first, numberPrefix: "E0600120260302").record
            let filed = try Fixture.change(.file, on: created, history: [first], actor: Fixture.operatorActor, at: Fixture.at(600))
            var stale = filed
            stale.expectedVersion = 9
            await expectDomainError(code: "case.changed") {
                try await store.commit([stale], notices: Self.notices(for: filed.record, at: Fixture.at(600)))
            }
            #expect(try await store.queuedNotices(limit: 10).isEmpty)

            let sent = Self.notices(for: filed.record, at: Fixture.at(600))
            try await store.commit([filed], notices: sent)
            #expect(try await store.dueNotices(at: Fixture.at(599), limit: 10).isEmpty)
            let due = try await store.dueNotices(at: Fixture.at(600), limit: 10)
            #expect(due.map(\.notice) == sent)
            #expect(due.allSatisfy { $0.attempts == 0 && $0.deliveredAt == nil && $0.lastError == nil })
            #expect(due[0].id < due[1].id)
            #expect(try await store.dueNotices(at: Fixture.at(600), limit: 1).map(\.notice) == [sent[0]])

            // The first fails and waits; the second is delivered.
            try await store.recordAttempt(notice: due[0].id, at: Fixture.at(601), error: "receiver down", retryAt: Fixture.at(611))
            try await store.recordAttempt(notice: due[1].id, at: Fixture.at(601), error: nil, retryAt: nil)
            #expect(try await store.dueNotices(at: Fixture.at(610), limit: 10).isEmpty)
            let retry = try await store.dueNotices(at: Fixture.at(611), limit: 10)
            #expect(retry.map(\.notice) == [sent[0]])
            #expect(retry.first?.attempts == 1 && retry.first?.lastError == "receiver down")
            try await store.recordAttempt(notice: due[0].id, at: Fixture.at(612), error: nil, retryAt: nil)
            #expect(try await store.dueNotices(at: Fixture.at(100_000), limit: 10).isEmpty)

            let log = try await store.queuedNotices(limit: 10)
            #expect(log.map(\.notice) == sent.reversed())
            #expect(log.map(\.attempts) == [1, 2])
            #expect(log.allSatisfy { $0.deliveredAt != nil && $0.lastError == nil && $0.nextAttemptAt == nil })
            #expect(log.last?.deliveredAt == Fixture.at(612))
            await expectDomainError(code: "notice.not_found") {
                try await store.recordAttempt(notice: 999, at: Fixture.at(700), error: nil, retryAt: nil)
            }
        }
    }
}
