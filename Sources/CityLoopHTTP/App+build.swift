import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Logging

/// Builds the router with every route and middleware over a platform; `open311` says how the Open311 endpoint
/// is served.
public func buildRouter(platform: Platform, open311: GeoReportOptions = .init()) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: AuthMiddleware(accounts: AccountService(platform: platform)))
    APIRoutes(platform: platform, open311: open311).register(on: APIBuilder(router: router))
    return router
}

/// Builds the HTTP application on a host and port.
public func buildApplication(
    platform: Platform, host: String, port: Int, logger: Logger, open311: GeoReportOptions = .init(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(platform: platform, open311: open311),
        configuration: .init(address: .hostname(host, port: port), serverName: "CityLoop"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}
