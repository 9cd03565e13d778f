import CityLoopDomain
import Foundation
import Hummingbird

/// One documented API operation.
public struct APIOperation: Sendable {
    /// HTTP method.
    public var method: HTTPRequest.Method
    /// Path in Hummingbird form (`/api/v1/cases/:id`).
    public var path: String
    /// One-line summary.
    public var summary: String
    /// Grouping tag.
    public var tag: String
    /// Who may call it ("public" or the roles).
    public var access: String
    /// Query parameters.
    public var query: [String]
    /// Name of the request body schema in the document, if any.
    public var body: String?
    /// Whether a success may be `201 Created` (a new resource) besides `200`.
    public var created = false

    /// The path in OpenAPI form (`/api/v1/cases/{id}`).
    public var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }
}

/// Registers routes and records their documentation in the same call, so the OpenAPI description cannot
/// drift from the router.
public final class APIBuilder: @unchecked Sendable {
    /// The router routes are added to.
    public let router: Router<AppRequestContext>
    /// Every operation added, in order.
    public private(set) var operations: [APIOperation] = []

    /// Wraps a router.
    public init(router: Router<AppRequestContext>) { self.router = router }

    /// Adds a route with its documentation.
    public func add(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, tag: String, access: String = "signed in",
        query: [String] = [], body: String? = nil, created: Bool = false,
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        operations.append(
            APIOperation(method: method, path: path, summary: summary, tag: tag, access: access, query: query, body: body, created: created))
        router.on(RouterPath(path), method: method, use: handler)
    }
}

extension Request {
    /// A query parameter's value, nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let v = uri.queryParameters[name[...]].map(String.init), !v.isEmpty else { return nil }
        return v
    }

    /// An integer query parameter; 422 naming it when not an integer.
    func queryInt(_ name: String) throws -> Int? {
        guard let v = query(name) else { return nil }
        guard let n = Int(v) else { throw DomainError.invalid(name, "\(name) must be an integer") }
        return n
    }

    /// A decimal query parameter; 422 naming it when not a number.
    func queryDouble(_ name: String) throws -> Double? {
        guard let v = query(name) else { return nil }
        guard let n = Double(v), n.isFinite else { throw DomainError.invalid(name, "\(name) must be a number") }
        return n
    }

    /// An ISO 8601 date query parameter (date or date-time).
    func queryDate(_ name: String) throws -> Date? {
        guard let v = query(name) else { return nil }
        let full = ISO8601DateFormatter()
        if let d = full.date(from: v) { return d }
        let frac = ISO8601DateFormatter()
        frac.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = frac.date(from: v) { return d }
        if let day = WorkingCalendar.dayNumber(v) {
            return Date(timeIntervalSince1970: Double(day) * 86400 - 8 * 3600)
        }
        throw DomainError.invalid(name, "\(name) must be an ISO 8601 date or date-time, e.g. 2026-11-23T08:00:00+08:00")
    }

    /// An enum query parameter.
    func queryEnum<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
        guard let v = query(name) else { return nil }
        guard let e = E(rawValue: v) else {
            throw DomainError.invalid(name, "\(name) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return e
    }
}

extension AppRequestContext {
    /// A path parameter, percent-decoded once: Hummingbird matches routes on the raw path, so a permit number such as
    /// `郑渣准字 1` or a vehicle ID with `:` arrives as the browser encoded it. 400 naming the parameter when it does
    /// not decode, 422 when it holds a control character (as in query parameters and JSON).
    func param(_ name: String) throws -> String {
        guard let raw = parameters.get(name) else { throw DomainError.invalid(name, "missing path parameter \(name)") }
        guard let v = raw.removingPercentEncoding else { throw PathParameterError(name: name) }
        try TextRules.check(v, field: name)
        return v
    }
}
