import CityLoopDomain
import Foundation
import Testing

@Suite("WorkingCalendar")
struct WorkingCalendarTests {
    let cal = WorkingCalendar()
    let friday1600 = Instants.friday1600

    @Test("2026-07-03 is a Friday and 2026-07-06 a Monday in local time")
    func fixtureDays() {
        #expect(cal.compactDate(friday1600) == "20260703")
        #expect(WorkingCalendar.weekday(cal.localDay(friday1600)) == 5)
        #expect(WorkingCalendar.weekday(cal.localDay(Instants.mondayMidnight)) == 1)
        #expect(WorkingCalendar.weekday(0) == 4)  // 1970-01-01 was a Thursday
        // 23:30 UTC on Thursday is already Friday 07:30 in UTC+8.
        #expect(cal.compactDate(Date(timeIntervalSince1970: 1_783_035_000)) == "20260703")
    }

    @Test("the default working day is 08:30–12:00 and 13:30–18:00: 8 hours")
    func defaultDay() {
        #expect(cal.minutesPerWorkingDay == 480)
        #expect(cal.problems().isEmpty)
        #expect(TimeLimit.days(2).minutes(on: cal) == 960)
        #expect(TimeLimit.hours(4).minutes(on: cal) == 240)
        #expect(TimeLimit.minutes(45).minutes(on: cal) == 45)
        #expect(TimeLimit.hours(4).description == "4 workingHours")
    }

    @Test("4 working hours from Friday 16:00 lands on Monday 10:30")
    func fridayToMonday() {
        let due = cal.adding(.hours(4), to: friday1600)
        #expect(due == Instants.monday(hour: 10, minute: 30))
        #expect(due.timeIntervalSince1970 == 1_783_305_000)
    }

    @Test("within one morning, and across the lunch break")
    func sameDay() {
        #expect(cal.adding(workingMinutes: 60, to: Instants.monday(hour: 9)) == Instants.monday(hour: 10))
        #expect(cal.adding(workingMinutes: 90, to: Instants.monday(hour: 11)) == Instants.monday(hour: 14))
        // Ending exactly at the end of a period stays on that day.
        #expect(cal.adding(workingMinutes: 120, to: Instants.monday(hour: 16)) == Instants.monday(hour: 18))
        // Starting in the night starts counting at 08:30.
        #expect(cal.adding(workingMinutes: 30, to: Instants.monday(hour: 2)) == Instants.monday(hour: 9))
        #expect(cal.adding(workingMinutes: 0, to: Instants.monday(hour: 2)) == Instants.monday(hour: 2))
    }

    @Test("holidays are skipped")
    func holidays() {
        let cal = WorkingCalendar(holidays: ["2026-07-06", "2026-07-07"])
        #expect(!cal.isWorkingDay(Instants.monday(hour: 10)))
        #expect(cal.adding(.hours(4), to: friday1600) == Instants.monday(plusDays: 2, hour: 10, minute: 30))
        #expect(cal.workingSeconds(from: friday1600, to: Instants.monday(plusDays: 2, hour: 10, minute: 30)) == 4 * 3600)
    }

    @Test("a make-up Saturday is worked")
    func makeUpDay() {
        let cal = WorkingCalendar(makeUpDays: ["2026-07-04"])
        #expect(cal.isWorkingDay(friday1600.addingTimeInterval(86400)))
        #expect(cal.adding(.hours(4), to: friday1600) == friday1600.addingTimeInterval(86400 - 16 * 3600 + 10.5 * 3600))
        // Sunday is still off.
        #expect(!cal.isWorkingDay(friday1600.addingTimeInterval(2 * 86400)))
    }

    @Test("a custom weekend: only Sunday off")
    func customWeekend() {
        let cal = WorkingCalendar(weekendDays: [7])
        #expect(cal.isWorkingDay(friday1600.addingTimeInterval(86400)))
        #expect(!cal.isWorkingDay(friday1600.addingTimeInterval(2 * 86400)))
    }

    @Test("working days add up: 2 working days from Monday 09:00 is Wednesday 09:00")
    func days() {
        #expect(cal.adding(.days(2), to: Instants.monday(hour: 9)) == Instants.monday(plusDays: 2, hour: 9))
        #expect(cal.adding(.days(5), to: Instants.monday(hour: 9)) == Instants.monday(plusDays: 7, hour: 9))
    }

    @Test("workingSeconds is the inverse of adding working minutes", arguments: [0, 1, 59, 210, 240, 480, 481, 1_000, 4_800])
    func inverse(minutes: Int) {
        let cal = WorkingCalendar(holidays: ["2026-07-08"], makeUpDays: ["2026-07-11"])
        // Starts at every half hour of Friday through Monday, in and out of working time.
        for k in 0..<(4 * 48) {
            let start = Instants.friday1600.addingTimeInterval(-16 * 3600 + Double(k) * 1800 + 7)
            let end = cal.adding(workingMinutes: minutes, to: start)
            #expect(end >= start)
            #expect(cal.workingSeconds(from: start, to: end) == Double(minutes * 60), "start \(start.timeIntervalSince1970)")
        }
    }

    @Test("workingSeconds is zero for reversed or non-working spans")
    func workingSecondsEdges() {
        #expect(cal.workingSeconds(from: Instants.monday(hour: 10), to: Instants.monday(hour: 9)) == 0)
        // Saturday 00:00 to Monday 08:30.
        #expect(cal.workingSeconds(from: friday1600.addingTimeInterval(8 * 3600), to: Instants.monday(hour: 8, minute: 30)) == 0)
        #expect(cal.workingSeconds(from: Instants.monday(hour: 12), to: Instants.monday(hour: 13, minute: 30)) == 0)
        #expect(cal.workingSeconds(from: Instants.monday(hour: 0), to: Instants.monday(plusDays: 1, hour: 0)) == 8 * 3600)
    }

    @Test("dayKey and dayNumber round-trip")
    func dayKeys() {
        #expect(WorkingCalendar.dayKey(0) == "1970-01-01")
        #expect(WorkingCalendar.dayNumber("1970-01-01") == 0)
        #expect(WorkingCalendar.dayNumber("2026-07-03") == 20_637)
        #expect(WorkingCalendar.dayKey(-1) == "1969-12-31")
        #expect(WorkingCalendar.dayKey(11_016) == "2000-02-29")
        #expect(WorkingCalendar.dayKey(-719_162) == "0001-01-01")
        #expect(WorkingCalendar.dayKey(2_932_896) == "9999-12-31")
        // Years 0001 to 9999.
        for day in stride(from: -719_162, through: 2_932_896, by: 997) {
            #expect(WorkingCalendar.dayNumber(WorkingCalendar.dayKey(day)) == day)
        }
        for day in 20_000..<21_500 {
            #expect(WorkingCalendar.dayNumber(WorkingCalendar.dayKey(day)) == day)
        }
    }

    @Test("malformed or impossible dates have no day number", arguments: ["2026-02-29", "2023-02-29", "2026-13-01", "2026-04-31", "2026-7", "abc", "2026-00-10", "2026-01-32"])
    func badDayKeys(key: String) {
        #expect(WorkingCalendar.dayNumber(key) == nil)
        #expect(WorkingCalendar.dayNumber("2024-02-29") != nil)
    }

    @Test("problems() reports bad configurations")
    func problems() {
        typealias P = WorkingCalendar.Period
        func has(_ cal: WorkingCalendar, _ text: String) -> Bool { cal.problems().contains { $0.contains(text) } }
        #expect(has(WorkingCalendar(periods: [P(start: 600, end: 500)]), "not within a day"))
        #expect(has(WorkingCalendar(periods: [P(start: 1400, end: 1500)]), "not within a day"))
        #expect(has(WorkingCalendar(periods: [P(start: -10, end: 60)]), "not within a day"))
        #expect(has(WorkingCalendar(periods: [P(start: 480, end: 720), P(start: 700, end: 900)]), "overlap"))
        #expect(has(WorkingCalendar(periods: []), "no working periods"))
        #expect(has(WorkingCalendar(weekendDays: [1, 2, 3, 4, 5, 6, 7]), "every day is a weekend"))
        #expect(has(WorkingCalendar(holidays: ["2026-02-30"]), "'2026-02-30' is not a yyyy-MM-dd date"))
        #expect(has(WorkingCalendar(holidays: ["2026-10-01"], makeUpDays: ["2026-10-01"]), "both a holiday and a make-up day"))
        #expect(WorkingCalendar(periods: [P(start: 480, end: 720), P(start: 720, end: 1020)]).problems().isEmpty)
    }

    @Test("periods given out of order are sorted")
    func sortedPeriods() {
        typealias P = WorkingCalendar.Period
        let cal = WorkingCalendar(periods: [P(start: 810, end: 1080), P(start: 510, end: 720)])
        #expect(cal.periods.map(\.start) == [510, 810])
        #expect(cal == WorkingCalendar())
    }

    @Test("a calendar with no working time adds nothing")
    func noWorkingTime() {
        let cal = WorkingCalendar(periods: [])
        #expect(cal.adding(workingMinutes: 60, to: friday1600) == friday1600)
    }
}
