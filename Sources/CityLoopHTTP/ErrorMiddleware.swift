import CityLoopDomain
import Foundation
import Hummingbird
import Logging

/// Maps every error to an HTTP status and a JSON body `{"error": {"code", "message", "field"}}` — the one
/// place where domain errors meet HTTP. Unexpected errors become a 500 without internals.
public struct ErrorMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// Creates the middleware.
    public init() {}

    /// Runs the rest of the chain and maps what it throws.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as DomainError {
            var r = Self.response(status: Self.status(e.kind), code: e.code, message: e.message, field: e.field)
            if let retry = e.retryAfter { r.headers[.retryAfter] = String(retry) }
            return r
        } catch let e as HTTPError {
            let code = e.status == .notFound ? "route.not_found" : "http.\(e.status.code)"
            return Self.response(status: e.status, code: code, message: e.body ?? e.status.reasonPhrase, field: nil)
        } catch let e as any HTTPResponseError {
            return Self.response(status: e.status, code: "http.\(e.status.code)", message: e.status.reasonPhrase, field: nil)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return Self.response(status: .internalServerError, code: "internal", message: "internal error; see the server log", field: nil)
        }
    }

    /// The status for a kind of domain error.
    public static func status(_ kind: DomainError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalidInput: .unprocessableContent
        case .notFound: .notFound
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .invalidTransition, .conflict: .conflict
        case .tooLarge: .contentTooLarge
        case .unsupportedMedia: .unsupportedMediaType
        case .rateLimited: .tooManyRequests
        case .corrupted: .internalServerError
        }
    }

    /// A JSON error response.
    public static func response(status: HTTPResponse.Status, code: String, message: String, field: String?) -> Response {
        var error: [String: String] = ["code": code, "message": message]
        if let field { error["field"] = field }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
