import CityLoopDomain
import Foundation
import Testing

extension AnalyticsTests {
    @Suite("DailySeries")
    struct DailySeriesTests {
        let series = DailySeries(start: Synthetic.monday, counts: (1...10).map(Double.init))

        @Test("days follow the start one midnight apart; the end is the day after the last")
        func days() {
            #expect(series.days == 10 && series.total == 55)
            #expect(series.day(1).timeIntervalSince(series.start) == 86_400)
            #expect(series.end == series.day(10))
        }

        @Test("prefix, suffix and dropLast keep the days they cover")
        func slices() {
            #expect(series.prefix(3).counts == [1, 2, 3] && series.prefix(3).start == series.start)
            #expect(series.suffix(2).counts == [9, 10] && series.suffix(2).start == series.day(8))
            #expect(series.dropLast(4).counts == [1, 2, 3, 4, 5, 6] && series.dropLast(4).end == series.day(6))
            #expect(series.suffix(99).counts.count == 10 && series.prefix(-1).days == 0)
        }

        @Test("week totals are whole weeks counted back from the last day")
        func weeks() {
            #expect(series.weekTotals == [4 + 5 + 6 + 7 + 8 + 9 + 10])
            #expect(DailySeries(start: Synthetic.monday, counts: Array(repeating: 1, count: 20)).weekTotals == [7, 7])
            #expect(DailySeries(start: Synthetic.monday, counts: [1, 2]).weekTotals.isEmpty)
        }
    }
}
