import CityLoopDomain
import Foundation
import Testing

extension AnalyticsTests {
    @Suite("NaiveWeeklyForecaster")
    struct NaiveWeeklyForecasterTests {
        @Test("each day is the count 7 days before; the second week repeats the last one again")
        func sameAsLastWeek() {
            let series = DailySeries(start: Synthetic.monday, counts: [9, 9, 1, 2, 3, 4, 5, 6, 7])
            let forecasts = NaiveWeeklyForecaster(series).forecast(days: 9)
            #expect(forecasts.map(\.expected) == [1, 2, 3, 4, 5, 6, 7, 1, 2])
            #expect(forecasts[0].day == series.end)
            #expect(forecasts[0].low <= 1 && forecasts[6].high >= 7)
        }

        @Test("less than a week: the mean; nothing: zero")
        func short() {
            let two = DailySeries(start: Synthetic.monday, counts: [2, 4])
            #expect(NaiveWeeklyForecaster(two).forecast(days: 2).map(\.expected) == [3, 3])
            let none = DailySeries(start: Synthetic.monday, counts: [])
            #expect(NaiveWeeklyForecaster(none).forecast(days: 1).map(\.expected) == [0])
        }
    }
}
