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
            #expect(try await store.noticeBacklog() == (0, nil))

            let sent = Self.notices(for: filed.record, at: Fixture.at(600))
            try await store.commit([filed], notices: sent)
            #expect(try await store.dueNotices(at: Fixture.at(599), limit: 10).isEmpty)
            let due = try await store.dueNotices(at: Fixture.at(600), limit: 10)
            #expect(due.map(\.notice) == sent)
            #expect(due.allSatisfy { $0.attempts == 0 && $0.deliveredAt == nil && $0.lastError == nil })
            #expect(due[0].id < due[1].id)
            #expect(try await store.noticeBacklog() == (2, Fixture.at(600)))
            #expect(try await store.dueNotices(at: Fixture.at(600), limit: 1).map(\.notice) == [sent[0]])

            // The first fails and waits; the second is delivered.
            try await store.recordAttempt(notice: due[0].id, at: Fixture.at(601), error: "receiver down", retryAt: Fixture.at(611))
            try await store.recordAttempt(notice: due[1].id, at: Fixture.at(601), error: nil, retryAt: nil)
            #expect(try await store.dueNotices(at: Fixture.at(610), limit: 10).isEmpty)
            let retry = try await store.dueNotices(at: Fixture.at(611), limit: 10)
            #expect(retry.map(\.notice) == [sent[0]])
            #expect(retry.first?.attempts == 1 && retry.first?.lastError == "receiver down")
            // The delivered one has left the backlog; the waiting one is now due at its retry.
            #expect(try await store.noticeBacklog() == (1, Fixture.at(611)))
            try await store.recordAttempt(notice: due[0].id, at: Fixture.at(612), error: nil, retryAt: nil)
            #expect(try await store.dueNotices(at: Fixture.at(100_000), limit: 10).isEmpty)
            #expect(try await store.noticeBacklog() == (0, nil))

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

    @Test("nodes claim due notices with a lease: never the same one at once, a dead node's again after its lease",
          arguments: StoreKind.allCases)
    func leases(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (record, first) = Fixture.newCase(source: .sensor)
            let created = try await store.createCase(record, firstEvent: first, numberPrefix: "E0600120260302").record
            let filed = try Fixture.change(.file, on: created, history: [first], actor: Fixture.operatorActor, at: Fixture.at(600))
            let sent = Self.notices(for: filed.record, at: Fixture.at(600)) + Self.notices(for: filed.record, at: Fixture.at(600)).map { n in
                var n = n
                n.id += ":again"
                return n
            }
            try await store.commit([filed], notices: sent)

            // Two nodes claim at once: four notices, each claimed by exactly one.
            async let a = store.claimNotices(at: Fixture.at(600), limit: 3, leaseUntil: Fixture.at(900), node: "node-a")
            async let b = store.claimNotices(at: Fixture.at(600), limit: 3, leaseUntil: Fixture.at(900), node: "node-b")
            let (byA, byB) = try await (a, b)
            #expect(Set(byA.map(\.id)).isDisjoint(with: byB.map(\.id)))
            #expect(byA.count + byB.count == 4)
            #expect(byA.allSatisfy { $0.leasedBy == "node-a" && $0.leaseUntil == Fixture.at(900) })
            // While the leases run nothing more is claimed.
            #expect(try await store.claimNotices(at: Fixture.at(899), limit: 10, leaseUntil: Fixture.at(1200), node: "node-c").isEmpty)

            // One notice is delivered, one fails (tried again at 2000), and both nodes die with the rest.
            let all = byA + byB
            let (delivered, failed) = (all[0], all[1])
            try await store.recordAttempt(notice: delivered.id, at: Fixture.at(610), error: nil, retryAt: nil)
            try await store.recordAttempt(notice: failed.id, at: Fixture.at(610), error: "receiver down", retryAt: Fixture.at(2000))
            // After the leases end, a third node takes over the two left undelivered, and only those.
            let taken = try await store.claimNotices(at: Fixture.at(900), limit: 10, leaseUntil: Fixture.at(1200), node: "node-c")
            #expect(Set(taken.map(\.id)) == Set(all.dropFirst(2).map(\.id)), "\(taken.map(\.id))")
            #expect(taken.allSatisfy { $0.leasedBy == "node-c" })
            // A recorded attempt ends the lease; the delivered one is never claimed again.
            let log = try await store.queuedNotices(limit: 10)
            #expect(log.first { $0.id == delivered.id }.map { $0.deliveredAt != nil && $0.leasedBy == nil } == true)
            #expect(try await store.claimNotices(at: Fixture.at(100_000), limit: 10, leaseUntil: Fixture.at(100_300), node: "node-d")
                .allSatisfy { $0.id != delivered.id })
        }
    }

    @Test("a node shutting down releases the notices it claimed, and only its own, for another node at once",
          arguments: StoreKind.allCases)
    func release(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let (record, first) = Fixture.newCase(source: .sensor)
            let created = try await store.createCase(record, firstEvent: first, numberPrefix: "E0600120260302").record
            let filed = try Fixture.change(.file, on: created, history: [first], actor: Fixture.operatorActor, at: Fixture.at(600))
            try await store.commit([filed], notices: Self.notices(for: filed.record, at: Fixture.at(600)))
            let byA = try await store.claimNotices(at: Fixture.at(600), limit: 1, leaseUntil: Fixture.at(900), node: "node-a")
            let byB = try await store.claimNotices(at: Fixture.at(600), limit: 1, leaseUntil: Fixture.at(900), node: "node-b")

            // MUT: node A shuts down
            let released = try await store.releaseNotices(node: "node-a")

            // validate: A's notice is free before its lease ends, B's is still B's
            #expect(released == 1)
            let taken = try await store.claimNotices(at: Fixture.at(601), limit: 10, leaseUntil: Fixture.at(1200), node: "node-c")
            #expect(taken.map(\.id) == byA.map(\.id))
            #expect(try await store.releaseNotices(node: "node-a") == 0)
            #expect(try await store.queuedNotices(limit: 10).first { $0.id == byB.first?.id }?.leasedBy == "node-b")
        }
    }
}
