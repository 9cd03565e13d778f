import Hummingbird

/// Puts the browser security headers on every response — console pages, assets, API answers and errors — and
/// answers CORS for the configured origins (none by default: CORS off).
///
/// The console runs with no inline script or style (`script-src 'self'; style-src 'self'`): Leaflet and Chart.js
/// set element styles through the DOM, which a policy does not block. Base-map tiles may come from any http(s)
/// tile server (`img-src http: https:`). Report pages under `/api/` carry their own inline stylesheet and no script,
/// so they get `style-src 'unsafe-inline'` with scripts off.
public struct SecurityHeadersMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext
    let corsOrigins: Set<String>

    /// The console's policy.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; connect-src 'self'; "
        + "worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    /// The policy of HTML documents the API produces (reports).
    public static let documentPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"

    /// Creates the middleware; `corsOrigins` are the exact origins (`https://app.example.cn`) allowed to call the API.
    public init(corsOrigins: [String] = []) { self.corsOrigins = Set(corsOrigins) }

    /// Answers preflights, runs the rest and adds the headers.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin].flatMap { corsOrigins.contains($0) ? $0 : nil }
        var response: Response
        if request.method == .options, let origin, request.headers[.accessControlRequestMethod] != nil {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type, Idempotency-Key, Accept-Language"
            response.headers[.accessControlMaxAge] = "600"
            response.headers[.accessControlAllowOrigin] = origin
        } else {
            response = try await next(request, context)
            if let origin {
                response.headers[.accessControlAllowOrigin] = origin
                response.headers[.accessControlExposeHeaders] = "Retry-After, Location"
            }
        }
        if !corsOrigins.isEmpty { response.headers[.vary] = "Origin" }
        let isDocument = request.uri.path.hasPrefix("/api/") && (response.headers[.contentType] ?? "").hasPrefix("text/html")
        response.headers[.contentSecurityPolicy] = isDocument ? Self.documentPolicy : Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        return response
    }
}
