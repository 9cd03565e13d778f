import CityLoopDomain
import Foundation
import Testing

@Suite("EvaluationFacts+Binary: one case's facts of a day as a small blob")
struct EvaluationFactsBinaryTests {
    typealias F = EvaluationFact
    let day = EvalDay.monday

    @Test("the layout: the names once, in order of first use, then three bytes a fact")
    func layout() throws {
        let facts = [
            F(.filed, day: day, departmentID: "san"), F(.verifications, day: day, userID: "u1"),
            F(.checks, day: day, userID: "u1", departmentID: "san"), F(.reported, day: day),
        ]
        let bytes = try #require(EvaluationFacts.encode(facts))
        let expected: [UInt8] =
            [2, 3] + Array("san".utf8) + [2] + Array("u1".utf8)  // two names: "san" (1), "u1" (2)
            + [2, 0, 1] + [22, 2, 0] + [24, 2, 1] + [1, 0, 0]  // (counter, user + 1 or 0, department + 1 or 0)
        #expect(bytes == expected)
        #expect(EvaluationFacts.decode(bytes, day: day) == facts)
    }

    @Test("every scenario's facts round-trip day by day, names shared within a day")
    func roundTrip() throws {
        let flows = try Scenario.smallCity() + [
            try Scenario.returnedAndRedispatched(), try Scenario.reworked(firstLate: true), try Scenario.extended(approved: true),
        ]
        for f in flows {
            let byDay = EvaluationFacts.byDay(f.facts)
            #expect(byDay.values.reduce(0) { $0 + $1.count } == f.facts.count)
            for (d, facts) in byDay {
                #expect(facts.allSatisfy { $0.day == d })
                let bytes = try #require(EvaluationFacts.encode(facts))
                #expect(EvaluationFacts.decode(bytes, day: d) == facts)
                // Each distinct name once: far smaller than one name a fact.
                let names = Set(facts.flatMap { [$0.userID?.rawValue, $0.departmentID?.rawValue].compactMap { $0 } })
                #expect(bytes.count == 1 + names.reduce(0) { $0 + 1 + $1.utf8.count } + 3 * facts.count)
            }
        }
    }

    @Test("an empty day, every counter and non-ASCII names round-trip")
    func edges() throws {
        #expect(EvaluationFacts.encode([]) == [0])
        #expect(EvaluationFacts.decode([0], day: day) == [])
        let all = EvaluationCounter.allCases.map { F($0, day: day, userID: "监督员-张三", departmentID: "环卫处") }
        let bytes = try #require(EvaluationFacts.encode(all))
        #expect(EvaluationFacts.decode(bytes, day: day) == all)
        // The day is not stored: the caller keeps it with the blob.
        #expect(EvaluationFacts.decode(bytes, day: day + 1)?.allSatisfy { $0.day == day + 1 } == true)
        let long = String(repeating: "x", count: 255)
        let f = [F(.dispatches, day: day, userID: UserID(long))]
        #expect(EvaluationFacts.encode(f).flatMap { EvaluationFacts.decode($0, day: day) } == f)
    }

    @Test("malformed bytes are rejected", arguments: [
        [],  // not even the count of names
        [1],  // one name announced, none there
        [1, 5, 0x61],  // a name longer than the bytes left
        [2, 1, 0x61],  // the second name missing
        [0, 2, 0],  // a fact cut short
        [0, 2, 0, 0, 1],  // the second fact cut short
        [0, 99, 0, 0],  // no such counter
        [0, 0, 0, 0],  // no counter 0
        [0, 2, 1, 0],  // a user name that was not given
        [1, 1, 0x61, 2, 0, 2],  // a department name past the one given
    ] as [[UInt8]])
    func malformed(bytes: [UInt8]) {
        #expect(EvaluationFacts.decode(bytes, day: day) == nil)
    }

    @Test("255 names fit; a 256th makes the day unencodable")
    func nameLimit() throws {
        let fits = (0..<255).map { F(.checks, day: day, userID: UserID("u-\($0)")) }
        let bytes = try #require(EvaluationFacts.encode(fits + fits))
        #expect(EvaluationFacts.decode(bytes, day: day) == fits + fits)
        #expect(EvaluationFacts.encode(fits + [F(.checks, day: day, departmentID: "one-more")]) == nil)
    }

    @Test("many facts of one case on one day all round-trip")
    func manyFacts() throws {
        let facts = (0..<1_100).map { F($0 % 2 == 0 ? .operatorWork : .checks, day: day, userID: "u-op") }
        let bytes = try #require(EvaluationFacts.encode(facts))
        let back = try #require(EvaluationFacts.decode(bytes, day: day))
        #expect(back == facts)
    }

    @Test("more than 255 names in one day's blob cannot be encoded, and say so")
    func manyNames() {
        let fits = (0..<255).map { F(.checks, day: day, userID: UserID("u-\($0)")) }
        #expect(EvaluationFacts.encode(fits).flatMap { EvaluationFacts.decode($0, day: day) } == fits)
        let facts = (0..<300).map { F(.checks, day: day, userID: UserID("u-\($0)")) }
        #expect(EvaluationFacts.encode(facts) == nil)
    }

    @Test("a name longer than 255 bytes cannot be encoded rather than being cut")
    func longNames() {
        let long = String(repeating: "环", count: 100)  // 300 bytes of UTF-8
        #expect(EvaluationFacts.encode([F(.checks, day: day, userID: UserID(long))]) == nil)
        let fits = [F(.checks, day: day, userID: UserID(String(repeating: "环", count: 85)))]  // 255 bytes
        #expect(EvaluationFacts.encode(fits).flatMap { EvaluationFacts.decode($0, day: day) } == fits)
    }
}
