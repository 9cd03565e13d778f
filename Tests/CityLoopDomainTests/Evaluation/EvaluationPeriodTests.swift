import CityLoopDomain
import Foundation
import Testing

/// Local day numbers used below: 2024-01-01 is day 19,723 (54 × 365 + 13 leap days), 2025-01-01 is 20,089,
/// 2026-01-01 is 20,454 and 2027-01-01 is 20,819.
@Suite("EvaluationPeriod: parsing, boundaries, previous period and names")
struct EvaluationPeriodTests {
    @Test("every form parses to its kind and local days", arguments: [
        ("2026-11-23", EvaluationPeriod.Kind.day, 20_780, 20_780),  // 20,454 + 326
        ("2026-W48", .week, 20_780, 20_786),  // Monday 23 to Sunday 29 November
        ("2026-11", .month, 20_758, 20_787),  // 20,454 + 304, 30 days
        ("2026-Q4", .quarter, 20_727, 20_818),  // 1 October to 31 December, 92 days
        ("2026", .year, 20_454, 20_818),  // 365 days
        ("2026-11-01..2026-11-15", .custom, 20_758, 20_772),  // 15 days
    ])
    func parse(text: String, kind: EvaluationPeriod.Kind, first: Int, last: Int) throws {
        let p = try #require(EvaluationPeriod.parse(text))
        #expect(p.kind == kind && p.firstDay == first && p.lastDay == last)
        #expect(p.days == first...last && p.length == last - first + 1)
        #expect(p.name == text)
        #expect(p.utcOffsetSeconds == 8 * 3600)
    }

    @Test("invalid periods are nil", arguments: [
        "2026-13", "2026-00", "2026-02-30", "2026-02-29", "2026-04-31", "2026-11-00", "2026-11-32",
        "2026-W54", "2026-W00", "2025-W53", "2026-W", "2026-Q0", "2026-Q5", "2026-Q",
        "garbage", "", "26-11", "20261", "2026-1", "2026-11-5", "2026/11", "2026-11-23-01", "1969", "-2026", "2026-11-23T00",
        "2026-11-15..2026-11-01", "2026-11..2026-12", "2026-11-01..", "..2026-11-01", "2026-11-01..2026-11-15..2026-11-20",
        "2026-11-01 .. 2026-11-15",
    ])
    func invalid(text: String) {
        #expect(EvaluationPeriod.parse(text) == nil)
    }

    @Test("signs inside a period's numbers are not part of the forms")
    func signs() {
        for text in ["2026-+1", "2026-11-+5", "2026-Q+4", "2026-W+48"] {
            #expect(EvaluationPeriod.parse(text) == nil, "\(text)")
        }
    }

    @Test("leap days exist only in leap years")
    func leapDays() throws {
        #expect(EvaluationPeriod.parse("2026-02-29") == nil)
        #expect(try #require(EvaluationPeriod.parse("2024-02-29")).firstDay == 19_782)  // 19,723 + 59
        #expect(EvaluationPeriod.parse("2024-02")?.length == 29)
        #expect(EvaluationPeriod.parse("2026-02")?.length == 28)
        #expect(EvaluationPeriod.parse("2024")?.length == 366)
        #expect(EvaluationPeriod.parse("2024-Q1")?.length == 91)
        #expect(EvaluationPeriod.parse("2026-Q1")?.length == 90)
    }

    @Test("months, quarters and years end on their last day", arguments: [
        ("2026-12", 20_788, 20_818), ("2026-01", 20_454, 20_484), ("2026-Q1", 20_454, 20_543), ("2026-Q2", 20_544, 20_634),
        ("2026-Q3", 20_635, 20_726), ("2027", 20_819, 21_183),
    ])
    func boundaries(text: String, first: Int, last: Int) throws {
        let p = try #require(EvaluationPeriod.parse(text))
        #expect(p.firstDay == first && p.lastDay == last)
    }

    @Test("ISO week 1 may start in the previous year, and a year may have week 53")
    func isoWeeks() throws {
        // 2026-01-01 is a Thursday: week 1 runs from Monday 2025-12-29 to Sunday 2026-01-04.
        let w1 = try #require(EvaluationPeriod.parse("2026-W01"))
        #expect(w1.firstDay == 20_451 && w1.lastDay == 20_457)
        #expect(w1.name == "2026-W01")
        // A year starting on a Thursday has 53 weeks: 2026-W53 runs from 2026-12-28 into 2027-01-03.
        let w53 = try #require(EvaluationPeriod.parse("2026-W53"))
        #expect(w53.firstDay == 20_815 && w53.lastDay == 20_821)
        // 1 January 2027 (a Friday) lies in 2026's last week; 4 January starts 2027-W01.
        let newYear = w53.start(ofDay: 20_819).addingTimeInterval(12 * 3600)
        #expect(EvaluationPeriod.containing(newYear, kind: .week) == w53)
        #expect(EvaluationPeriod.containing(newYear, kind: .year).name == "2027")
        let w1of2027 = try #require(EvaluationPeriod.parse("2027-W01"))
        #expect(w1of2027.firstDay == 20_822 && w53.previous.name == "2026-W52")
        #expect(w1of2027.previous == w53)
        // The scenarios' week.
        #expect(EvaluationPeriod.parse("2026-W28")?.days == EvalDay.week)
    }

    @Test("the previous month of March is February: 28 days, or 29 in a leap year", arguments: [
        ("2026-03", "2026-02", 28), ("2024-03", "2024-02", 29), ("2027-01", "2026-12", 31), ("2026-12", "2026-11", 30),
    ])
    func previousMonth(text: String, previous: String, length: Int) throws {
        let p = try #require(EvaluationPeriod.parse(text)).previous
        #expect(p.kind == .month && p.name == previous && p.length == length)
        #expect(p.lastDay == EvaluationPeriod.parse(text)!.firstDay - 1)
        #expect(p == EvaluationPeriod.parse(previous))
    }

    @Test("the previous day, week, quarter and year", arguments: [
        ("2026-03-01", "2026-02-28"), ("2026-01-01", "2025-12-31"), ("2026-W01", "2025-W52"), ("2026-W48", "2026-W47"),
        ("2026-Q1", "2025-Q4"), ("2026-Q4", "2026-Q3"), ("2026", "2025"), ("2025", "2024"),
    ])
    func previous(text: String, previous: String) throws {
        let p = try #require(EvaluationPeriod.parse(text))
        #expect(p.previous == EvaluationPeriod.parse(previous))
        #expect(p.previous.lastDay == p.firstDay - 1)
    }

    @Test("the previous period of a custom range is as many days just before it")
    func previousCustom() throws {
        let p = try #require(EvaluationPeriod.parse("2026-11-01..2026-11-15"))
        #expect(p.previous.kind == .custom)
        #expect(p.previous.firstDay == 20_743 && p.previous.lastDay == 20_757 && p.previous.length == 15)
        #expect(p.previous.name == "2026-10-17..2026-10-31")
        let newYear = try #require(EvaluationPeriod.parse("2026-12-25..2027-01-05"))
        #expect(newYear.length == 12)
        #expect(newYear.previous.name == "2026-12-13..2026-12-24")
        let one = try #require(EvaluationPeriod.parse("2026-11-01..2026-11-01"))
        #expect(one.kind == .custom && one.length == 1 && one.previous.name == "2026-10-31..2026-10-31")
    }

    @Test("the period containing an instant follows local time: 23:30 on the last day of a month is in that month")
    func containingLocal() throws {
        let nov = try #require(EvaluationPeriod.parse("2026-11"))
        let lastEvening = nov.start(ofDay: 20_787).addingTimeInterval(23.5 * 3600)  // 30 Nov 23:30 local, 15:30 UTC
        let firstMorning = nov.start(ofDay: 20_788).addingTimeInterval(0.5 * 3600)  // 1 Dec 00:30 local, 30 Nov 16:30 UTC
        #expect(EvaluationPeriod.containing(lastEvening, kind: .month).name == "2026-11")
        #expect(EvaluationPeriod.containing(firstMorning, kind: .month).name == "2026-12")
        #expect(EvaluationPeriod.containing(lastEvening, kind: .quarter).name == "2026-Q4")
        #expect(EvaluationPeriod.containing(firstMorning, kind: .quarter).name == "2026-Q4")
        #expect(EvaluationPeriod.containing(firstMorning, kind: .day).name == "2026-12-01")
        #expect(EvaluationPeriod.containing(firstMorning, kind: .custom).days == 20_788...20_788)
        // In UTC the same instant is still November.
        #expect(EvaluationPeriod.containing(firstMorning, kind: .month, utcOffsetSeconds: 0).name == "2026-11")
    }

    @Test("day numbers are local: the same text names the same days in every city, starting at each one's midnight")
    func offsets() throws {
        let east = try #require(EvaluationPeriod.parse("2026-W48"))
        let west = try #require(EvaluationPeriod.parse("2026-W48", utcOffsetSeconds: -5 * 3600))
        #expect(east.days == west.days && west.utcOffsetSeconds == -5 * 3600)
        #expect(east.start(ofDay: 20_780) == Date(timeIntervalSince1970: 20_780 * 86_400 - 8 * 3600))
        #expect(west.start(ofDay: 20_780) == Date(timeIntervalSince1970: 20_780 * 86_400 + 5 * 3600))
        #expect(east.day(of: east.start(ofDay: 20_780)) == 20_780)
        #expect(east.day(of: east.start(ofDay: 20_780).addingTimeInterval(-1)) == 20_779)
        #expect(west.previous.utcOffsetSeconds == -5 * 3600 && west.previous.name == "2026-W47")
    }

    @Test("every kind's name parses back to the same period", arguments: EvaluationPeriod.Kind.allCases)
    func nameRoundTrip(kind: EvaluationPeriod.Kind) throws {
        let at = Instants.monday0900
        let p = kind == .custom
            ? EvaluationPeriod(kind: .custom, firstDay: EvalDay.monday - 3, lastDay: EvalDay.monday + 3)
            : EvaluationPeriod.containing(at, kind: kind)
        #expect(p.days.contains(EvalDay.monday))
        #expect(EvaluationPeriod.parse(p.name) == p)
        #expect(EvaluationPeriod.parse(p.previous.name) == p.previous)
    }
}
