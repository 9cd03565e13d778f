import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// All of the API's routes over one platform.
public struct APIRoutes: Sendable {
    let platform: Platform
    let open311: GeoReportOptions
    let console: ConsoleOptions
    /// Trusted proxies (for the client address of sign-ins) and CORS.
    var frontDoor = FrontDoorOptions()
    /// What this node does.
    var role = NodeRole.all

    /// Creates the routes.
    public init(platform: Platform, open311: GeoReportOptions = .init(), console: ConsoleOptions = .init()) {
        self.platform = platform
        self.open311 = open311
        self.console = console
    }

    /// Registers every route on the builder, then the OpenAPI document describing them.
    public func register(on api: APIBuilder) {
        MetaRoutes(platform: platform, role: role).register(on: api)
        guard role.servesAPI else { return }
        addAccountRoutes(api)
        addReferenceRoutes(api)
        addAdminRoutes(api)
        addCaseRoutes(api)
        addHotlineRoutes(api)
        addPlaceRoutes(api)
        addDeviceRoutes(api)
        addVehicleRoutes(api)
        addWeighbridgeRoutes(api)
        addDriverRoutes(api)
        addSanitationRoutes(api)
        addCompanyNoticeRoutes(api)
        addCameraRoutes(api)
        ConsoleRoutes(platform: platform, options: console).register(on: api)
        EvaluationRoutes(platform: platform).register(on: api)
        AnalyticsRoutes(platform: platform).register(on: api)
        ForecastRoutes(platform: platform).register(on: api)
        ReportRoutes(platform: platform).register(on: api)
        Open311Routes(service: GeoReportService(platform: platform, options: open311, limiter: RateLimiter(store: platform.store, clock: platform.clock)))
            .register(on: api)
        let document = OpenAPIDocument.make(api.operations + [Self.openAPIOperation, MetaRoutes.metricsOperation])
        api.router.get("/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
    }

    static let openAPIOperation = APIOperation(
        method: .get, path: "/openapi.json", summary: "This OpenAPI description", tag: "meta", access: "public", query: [], body: nil)
}
