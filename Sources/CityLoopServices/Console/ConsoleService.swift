import CityLoopDomain
import Foundation

/// What the leader's and dispatchers' screens read: the one-screen figures and the open cases on the map.
public struct ConsoleService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// The one screen's figures (一屏统览) for the city or an area.
    public func dashboard(_ query: DashboardQuery) async throws -> DashboardFigures { try await platform.reads.store().dashboard(query) }

    /// Open cases in a box grouped by cell and state (map markers).
    public func openCaseClusters(_ query: ClusterQuery) async throws -> [CaseCluster] { try await platform.reads.store().openCaseClusters(query) }
}
