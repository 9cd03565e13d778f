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
    /// Creates the middleware; requests under `ownErrorFormatPath` (Open311's base path) have their query text
    /// checked by that path's own middleware, so that the refusal comes in its error format.
    public init(ownErrorFormatPath: String? = nil) { self.ownErrorFormatPath = ownErrorFormatPath }

    /// A path whose routes write their own error format (and check their own query text).
    let ownErrorFormatPath: String?

    /// Runs the rest of the chain and maps what it throws. Every response carries the request's ID in
    /// `X-Request-ID` (the caller's, when it sent a usable one), and every 500 is logged with it.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestID = Self.requestID(request, context: context)
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response = await mapped(request, context: context, requestID: requestID, next: next)
        response.headers[Self.requestIDField] = requestID
        return response
    }

    private func mapped(
        _ request: Request, context: Context, requestID: String, next: (Request, Context) async throws -> Response
    ) async -> Response {
        do {
            let path = request.uri.path
            let ownFormat = ownErrorFormatPath.map { path == $0 || path.hasPrefix($0 + "/") } ?? false
            if !ownFormat { try Self.checkQueryText(request) }
            return try await next(request, context)
        } catch let e as DomainError {
            if e.kind == .corrupted {
                context.logger.error("500 \(e) [request \(requestID)] \(request.method) \(request.uri.path)")
                return Self.response(
                    status: .internalServerError, code: e.code, message: "\(e.message) (see the server log for request \(requestID))", field: e.field)
            }
            var r = Self.response(status: Self.status(e.kind), code: e.code, message: e.message, field: e.field)
            if let retry = e.retryAfter { r.headers[.retryAfter] = String(retry) }
            return r
        } catch let e as StoreError where e.kind == .unavailable || e.kind == .unreachable {
            // The database went away: nothing was committed, and the client may try again shortly.
            context.logger.warning("503 \(e) [request \(requestID)] \(request.method) \(request.uri.path)")
            var r = Self.response(status: .serviceUnavailable, code: "database.unavailable", message: e.message, field: nil)
            r.headers[.retryAfter] = "5"
            return r
        } catch let e as PathParameterError {
            return Self.response(status: e.status, code: e.code, message: e.message, field: e.name)
        } catch let e as HTTPError {
            let code = e.status == .notFound ? "route.not_found" : "http.\(e.status.code)"
            if e.status.code >= 500 { context.logger.error("\(e.status.code) \(e) [request \(requestID)] \(request.method) \(request.uri.path)") }
            return Self.response(status: e.status, code: code, message: e.body ?? e.status.reasonPhrase, field: nil)
        } catch let e as any HTTPResponseError {
            if e.status.code >= 500 { context.logger.error("\(e.status.code) \(e) [request \(requestID)] \(request.method) \(request.uri.path)") }
            return Self.response(status: e.status, code: "http.\(e.status.code)", message: e.status.reasonPhrase, field: nil)
        } catch {
            context.logger.error("500 unexpected error: \(error) [request \(requestID)] \(request.method) \(request.uri.path)")
            return Self.response(
                status: .internalServerError, code: "internal", message: "internal error; see the server log for request \(requestID)", field: nil)
        }
    }

    /// Query parameters are text from outside too: checked once for every route, before it runs.
    static func checkQueryText(_ request: Request) throws {
        for (name, value) in request.uri.queryParameters {
            try TextRules.check(String(name), field: String(name))
            try TextRules.check(String(value), field: String(name))
        }
    }

    /// The `X-Request-ID` header.
    public static let requestIDField = HTTPFields.Element.Name("X-Request-ID")!

    /// The caller's request ID when it is short plain text (it goes into logs), else one made for this request.
    static func requestID(_ request: Request, context: Context) -> String {
        if let given = request.headers[requestIDField], (1...128).contains(given.count),
            given.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0)) })
        {
            return given
        }
        return context.id
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
