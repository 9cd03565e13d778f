import Foundation

/// How big the demo city is.
public struct DemoScale: Hashable, Codable, Sendable {
    /// Streets per district along each axis.
    public var streetsPerSide: Int
    /// Communities per street along each axis.
    public var communitiesPerSide: Int
    /// Grids per community west→east.
    public var gridsAcross: Int
    /// Grids per community north→south.
    public var gridsDown: Int
    /// Components to place.
    public var components: Int
    /// Cases of history.
    public var cases: Int
    /// Days of history.
    public var historyDays: Int

    /// Creates a scale.
    public init(streetsPerSide: Int, communitiesPerSide: Int, gridsAcross: Int, gridsDown: Int, components: Int, cases: Int, historyDays: Int) {
        self.streetsPerSide = streetsPerSide
        self.communitiesPerSide = communitiesPerSide
        self.gridsAcross = gridsAcross
        self.gridsDown = gridsDown
        self.components = components
        self.cases = cases
        self.historyDays = historyDays
    }

    /// The default demo: 3,456 grids, 20,000 components, 3,000 cases over six weeks.
    public static let standard = DemoScale(
        streetsPerSide: 2, communitiesPerSide: 2, gridsAcross: 6, gridsDown: 6, components: 20_000, cases: 3_000, historyDays: 42)

    /// A scale for a number of cases: grids grow to 15,000 and components to 200,000 at a million cases,
    /// spread over a year.
    public static func forCases(_ cases: Int) -> DemoScale {
        guard cases > standard.cases else { return DemoScale(
            streetsPerSide: 2, communitiesPerSide: 2, gridsAcross: 6, gridsDown: 6, components: standard.components, cases: cases,
            historyDays: standard.historyDays) }
        let grids = max(3_456, Int(Double(cases) * 0.015))
        let perCommunity = Double(grids) / 96
        let across = max(6, Int(perCommunity.squareRoot().rounded(.up)))
        let down = max(6, Int((perCommunity / Double(across)).rounded(.up)))
        return DemoScale(
            streetsPerSide: 2, communitiesPerSide: 2, gridsAcross: across, gridsDown: down,
            components: max(20_000, cases / 5), cases: cases, historyDays: cases >= 200_000 ? 365 : 90)
    }

    /// A small city for tests: 6 × 4 × 4 × 4 = 384 grids.
    public static let tiny = DemoScale(
        streetsPerSide: 2, communitiesPerSide: 2, gridsAcross: 2, gridsDown: 2, components: 500, cases: 200, historyDays: 14)

    /// Devices: 2,000, or 60 in the tiny city.
    public var devices: Int { components <= 1000 ? 60 : 2000 }
    /// Muck trucks of the demo fleet.
    public var vehicles: Int { components <= 1000 ? 20 : 500 }
    /// AI cameras: 4 in the tiny city, 40 otherwise.
    public var cameras: Int { components <= 1000 ? 4 : 40 }

    /// Number of unit grids.
    public var gridCount: Int { 6 * streetsPerSide * streetsPerSide * communitiesPerSide * communitiesPerSide * gridsAcross * gridsDown }
}
