import CityLoopDomain
import Foundation
import Hummingbird
import Testing

/// Idempotency keys and deadlines from outside (issue 13 §3): a key reused with another body is a 409 naming the
/// key, the same body again is the first answer, and a deadline before 2000 or more than five years ahead is a 422.
@Suite struct IdempotencyAPITests {
    @Test func aClientRequestIDReusedWithAnotherReportIsA409() async throws {
        try await TestCity.serve { api in
            let p = api.city.point
            let first = try await api.report(as: "citizen", garbageReport(at: p, ["clientRequestID": "app-42"]))
            #expect(first.status == .created, "\(first)")
            let same = try await api.report(as: "citizen", garbageReport(at: p, ["clientRequestID": "app-42"]))
            #expect(same.status == .ok, "\(same)")
            #expect(same["created"] as? Bool == false)
            #expect(same.string("case.number") == first.string("case.number"))
            let before = try await api.caseCount()
            // MUT
            let other = try await api.report(as: "citizen", garbageReport(at: p, ["clientRequestID": "app-42", "description": "另一处：井盖缺失"]))
            // validate
            BadInputAPITests.expectError(other, .conflict, code: "idempotency.mismatch", field: "clientRequestID")
            #expect(other.errorMessage.contains(first.string("case.number") ?? "?"), "\(other)")
            #expect(try await api.caseCount() == before)
            // another account's key of the same text is its own
            let operatorsOwn = try await api.report(as: "operator", garbageReport(at: p, ["clientRequestID": "app-42", "description": "另一处：井盖缺失"]))
            #expect(operatorsOwn.status == .created, "\(operatorsOwn)")
        }
    }

    @Test func aHotlineTicketResentWithAnotherOrderIsA409NamingTheTicket() async throws {
        try await TestCity.serve { api in
            let order = HotlineAPITests.order(api, ticket: "RX-IDEM-1", callback: nil)
            let first = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: order)
            #expect(first.status == .created, "\(first)")
            let again = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: order)
            #expect(again.status == .ok, "\(again)")
            #expect(again["created"] as? Bool == false)
            var changed = order
            changed["description"] = "市民来电：另一条街的路灯不亮"
            let other = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: changed)
            BadInputAPITests.expectError(other, .conflict, code: "idempotency.mismatch", field: "ticketNumber")
            #expect(other.errorMessage.contains("RX-IDEM-1"))
        }
    }

    @Test func deadlinesBefore2000OrMoreThanFiveYearsAheadAreRefused() async throws {
        try await TestCity.serve { api in
            let before = try await api.caseCount()
            for (i, deadline) in ["1999-12-31T23:59:59Z", "0226-11-30T18:00:00+08:00", "2031-12-01T00:00:00Z", "9999-01-01T00:00:00Z"].enumerated() {
                let r = try await api.send(
                    .post, "/api/v1/hotline/orders", as: "partner",
                    json: HotlineAPITests.order(api, ticket: "RX-DATE-\(i)", callback: nil, ["deadline": deadline]))
                BadInputAPITests.expectError(r, .unprocessableContent, code: "deadline.out_of_range", field: "deadline")
                let partner = try await api.report(
                    as: "partner", garbageReport(at: api.city.point, ["source": "hotline", "ticket": "T-\(i)", "ticketDueAt": deadline]))
                BadInputAPITests.expectError(partner, .unprocessableContent, code: "deadline.out_of_range", field: "ticketDueAt")
            }
            #expect(try await api.caseCount() == before)
            // four years ahead is a deadline
            let ok = try await api.send(
                .post, "/api/v1/hotline/orders", as: "partner",
                json: HotlineAPITests.order(api, ticket: "RX-DATE-OK", callback: nil, ["deadline": "2030-11-24T10:00:00+08:00"]))
            #expect(ok.status == .created, "\(ok)")
        }
    }
}
