import Foundation

/// One pass of the seasonal model over a history with fixed parameters: the state at the end, and the in-sample
/// one-week-ahead errors the fit compares. Weeks are 7-day blocks aligned to the end of the history; leading days
/// that do not fill a week are left out.
struct SeasonalRun: Hashable, Sendable {
    /// Weeks forecast in sample before errors count: the state is still settling.
    static let warmUpWeeks = 3
    /// Counts of prior belief per side of the yearly ratio, pulling it toward 1 when last year's counts are few.
    static let yearlyPseudoCount = 20.0
    /// Days in a year that keep the weekday: 52 weeks.
    static let yearWeeks = 52

    let parameters: SeasonalForecaster.Parameters
    /// Days of history, including left-out leading days.
    let historyDays: Int
    /// Level: the daily rate after the last week.
    private(set) var level = 0.0
    /// Trend: change of the daily rate per week.
    private(set) var trend = 0.0
    /// Exponentially weighted counts per weekday slot (slot = day index mod 7) and their total.
    private(set) var slotCounts = [Double](repeating: 0, count: 7)
    private(set) var slotTotal = 0.0
    /// Per week: the actual total and the one-week-ahead forecast total before any yearly correction (nil in warm-up).
    private(set) var weekActual: [Double] = []
    private(set) var weekForecast: [Double?] = []
    /// Sum of squared errors of weekly totals, and of daily counts, over weeks after warm-up.
    private(set) var weeklySquaredError = 0.0
    private(set) var dailySquaredError = 0.0
    /// Σ(error² − forecast) and Σ forecast² over days after warm-up: the moments for the overdispersion.
    private(set) var excessVariance = 0.0
    private(set) var forecastSquares = 0.0
    /// Days whose errors were counted.
    private(set) var scoredDays = 0

    /// Runs the model over `counts`.
    init(counts: [Double], parameters: SeasonalForecaster.Parameters) {
        self.parameters = parameters
        historyDays = counts.count
        let weeks = counts.count / 7
        guard weeks > 0 else {
            level = counts.isEmpty ? 0 : counts.reduce(0, +) / Double(counts.count)
            return
        }
        let offset = counts.count % 7
        for week in 0..<weeks {
            let first = offset + 7 * week
            let days = counts[first..<(first + 7)]
            let total = days.reduce(0, +)
            if week == 0 {
                level = total / 7
                weekForecast.append(nil)
            } else {
                score(week: week, firstDay: first, days: days, total: total)
                update(week: week, total: total)
            }
            weekActual.append(total)
            let keep = 1 - parameters.shareSmoothing
            for (i, count) in days.enumerated() { slotCounts[(first + i) % 7] = keep * slotCounts[(first + i) % 7] + count }
            slotTotal = keep * slotTotal + total
        }
    }

    /// The forecast daily rate `weeksAhead` weeks on (1 = the next week), before weekday and yearly factors.
    func rate(weeksAhead: Int) -> Double {
        var damping = 0.0
        var power = 1.0
        for _ in 0..<max(1, weeksAhead) {
            power *= parameters.trendDamping
            damping += power
        }
        return max(0, level + damping * trend)
    }

    /// The weekday factor of a slot: its share of the week times 7, shrunk toward 1 by the pseudo-count.
    func weekdayFactor(slot: Int) -> Double {
        let kappa = parameters.shareShrinkage
        let denominator = slotTotal + 7 * kappa
        return denominator > 0 ? 7 * (slotCounts[slot] + kappa) / denominator : 1
    }

    /// The yearly factor for the week at `week` (a week index, may lie past the history): how the model's
    /// one-week-ahead forecasts compared with actual counts in the same weeks one and two years before
    /// (±1 week), shrunk toward 1. 1 when the yearly part is off or no such weeks were forecast.
    func yearlyFactor(week: Int) -> Double {
        guard parameters.yearly else { return 1 }
        var actual = 0.0
        var forecast = 0.0
        for yearsBack in 1...2 {
            for shift in -1...1 {
                let reference = week - yearsBack * Self.yearWeeks + shift
                guard reference >= 0, reference < weekForecast.count, let f = weekForecast[reference] else { continue }
                actual += weekActual[reference]
                forecast += f
            }
        }
        let factor = (actual + Self.yearlyPseudoCount) / (forecast + Self.yearlyPseudoCount)
        return min(4, max(0.25, factor))
    }

    /// Forecasts the week before seeing it, records the forecast, and adds its errors once past warm-up.
    private mutating func score(week: Int, firstDay: Int, days: ArraySlice<Double>, total: Double) {
        let rate = rate(weeksAhead: 1)
        let yearly = yearlyFactor(week: week)
        weekForecast.append(week >= Self.warmUpWeeks ? 7 * rate : nil)
        guard week >= Self.warmUpWeeks else { return }
        let weekError = total - 7 * rate * yearly
        weeklySquaredError += weekError * weekError
        for (i, count) in days.enumerated() {
            let expected = rate * yearly * weekdayFactor(slot: (firstDay + i) % 7)
            let error = count - expected
            dailySquaredError += error * error
            excessVariance += error * error - expected
            forecastSquares += expected * expected
            scoredDays += 1
        }
    }

    /// Damped Holt update of level and trend with the week's daily rate. In the first weeks the level is the
    /// running mean (weight 1/(week+1)) so that one noisy first week does not linger.
    private mutating func update(week: Int, total: Double) {
        let p = parameters
        let alpha = max(p.levelSmoothing, 1 / Double(week + 1))
        let previous = level
        level = alpha * (total / 7) + (1 - alpha) * (level + p.trendDamping * trend)
        trend = p.trendSmoothing * (level - previous) + (1 - p.trendSmoothing) * p.trendDamping * trend
    }
}
