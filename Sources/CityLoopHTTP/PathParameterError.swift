import Hummingbird

/// A path parameter that is not percent-encoded UTF-8 (`%E9%83` cut short, `%zz`, a bare `%`): the request itself is
/// malformed, so 400, naming the parameter.
struct PathParameterError: HTTPResponseError {
    /// The parameter's name in the route (`id`).
    var name: String

    /// 400.
    var status: HTTPResponse.Status { .badRequest }
    /// The error's stable code.
    var code: String { "path.malformed" }
    /// What is wrong, for the caller.
    var message: String { "path parameter \(name) is not percent-encoded UTF-8" }

    /// The API's JSON error naming the parameter (as `ErrorMiddleware` answers it).
    func response(from request: Request, context: some RequestContext) throws -> Response {
        ErrorMiddleware.response(status: status, code: code, message: message, field: name)
    }
}
