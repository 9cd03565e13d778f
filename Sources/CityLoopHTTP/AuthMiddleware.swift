import CityLoopDomain
import CityLoopServices
import Hummingbird

/// Reads `Authorization: Bearer <token>` and sets the context's actor. A bad token is a 401 at once;
/// no token leaves the request anonymous (routes decide whether that is allowed).
public struct AuthMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext
    let accounts: AccountService

    /// Creates the middleware.
    public init(accounts: AccountService) { self.accounts = accounts }

    /// Authenticates and continues.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer ") else {
                throw DomainError(.unauthenticated, code: "auth.scheme", "use Authorization: Bearer <token>")
            }
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            if token.hasPrefix(DeviceRegistry.credentialPrefix) {
                context.deviceToken = token
                return try await next(request, context)
            }
            context.actor = Actor(try await accounts.authenticate(token: token))
        }
        return try await next(request, context)
    }
}
