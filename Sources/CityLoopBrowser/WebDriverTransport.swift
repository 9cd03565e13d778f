import Foundation

/// Sends WebDriver commands (JSON over HTTP) to one chromedriver on 127.0.0.1 and unwraps `{"value": …}` answers.
final class WebDriverTransport: Sendable {
    let port: Int
    let requestTimeout: TimeInterval

    init(port: Int, requestTimeout: TimeInterval = 180) {
        self.port = port
        self.requestTimeout = requestTimeout
    }

    /// Sends one command (`path` relative to the root, e.g. `session/ID/url`); answers the `value` member, or throws
    /// the WebDriver error it carries.
    @discardableResult
    func send(_ method: String, _ path: String, _ body: JSONValue? = nil, timeout: TimeInterval? = nil) async throws -> JSONValue {
        let command = "\(method) /\(path)"
        let payload: Data? = method == "POST" ? (body ?? .object([:])).jsonData : nil
        let response: LoopbackHTTP.Response
        do {
            response = try await LoopbackHTTP.send(port: port, method: method, path: "/" + path, body: payload, timeout: timeout ?? requestTimeout)
        } catch {
            throw WebDriverError(code: WebDriverError.transport, message: "chromedriver on port \(port) did not answer: \(error)", command: command)
        }
        guard let json = try? JSONValue(parsing: response.body) else {
            throw WebDriverError(
                code: WebDriverError.transport, message: "HTTP \(response.status), not JSON: \(String(decoding: response.body.prefix(300), as: UTF8.self))",
                httpStatus: response.status, command: command)
        }
        let value = json["value"] ?? .null
        if let code = value["error"]?.string {
            throw WebDriverError(code: code, message: Self.clean(value["message"]?.string ?? ""), httpStatus: response.status, command: command)
        }
        guard (200..<300).contains(response.status) else {
            throw WebDriverError(code: WebDriverError.transport, message: "HTTP \(response.status): \(json)", httpStatus: response.status, command: command)
        }
        return value
    }

    /// Drops chromedriver's "(Session info: …)" trailer from a message.
    static func clean(_ message: String) -> String {
        var m = message
        if let r = m.range(of: "\n  (Session info:") { m = String(m[..<r.lowerBound]) }
        return m.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
