import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Logging

/// Builds the router with every route and middleware over a platform; `open311` says how the Open311 endpoint
/// is served, `console` where the web console's pages come from.
public func buildRouter(
    platform: Platform, open311: GeoReportOptions = .init(), console: ConsoleOptions = .init(), frontDoor: FrontDoorOptions = .init(),
    role: NodeRole = .all
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    // Requests counted and timed by route (swift-metrics, into this node's Prometheus registry).
    _ = NodeMetrics.registry
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware(corsOrigins: frontDoor.corsOrigins))
    router.add(middleware: ErrorMiddleware(ownErrorFormatPath: open311.basePath))
    // The console's pages and Debian's map and chart libraries; anything else falls through to the API.
    if role.servesAPI {
        router.add(middleware: FileMiddleware(console.resolvedWebRoot, cacheControl: .init([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: true))
        router.add(middleware: FileMiddleware(console.vendorRoot, urlBasePath: "/vendor", cacheControl: .init([(MediaType(type: .any), [.maxAge(86400)])])))
    }
    router.add(middleware: AuthMiddleware(accounts: AccountService(platform: platform)))
    var routes = APIRoutes(platform: platform, open311: open311, console: console)
    routes.frontDoor = frontDoor
    routes.role = role
    routes.register(on: APIBuilder(router: router))
    return router
}

/// Builds the HTTP application on a host and port.
public func buildApplication(
    platform: Platform, host: String, port: Int, logger: Logger, open311: GeoReportOptions = .init(), console: ConsoleOptions = .init(),
    frontDoor: FrontDoorOptions = .init(), role: NodeRole = .all, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(platform: platform, open311: open311, console: console, frontDoor: frontDoor, role: role),
        configuration: .init(address: .hostname(host, port: port), serverName: "CityLoop"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}
