import AsyncHTTPClient
import CityLoopDomain
import Foundation

/// Delivers notices by POSTing them as a JSON array to a URL (an SMS gateway's or a city app's receiver), with
/// the notice ID as `Idempotency-Key`; any answer but 2xx, a timeout or a refused connection is a failure that
/// the dispatcher retries.
public struct WebhookNotifier: ReporterNotifier {
    /// The receiver.
    public let url: URL
    let timeoutSeconds: Int64
    let client: HTTPClient
    let encoder: JSONEncoder

    /// A failed delivery.
    public struct Failure: Error, CustomStringConvertible {
        /// The receiver's status code.
        public var status: Int
        /// What went wrong.
        public var description: String { "webhook answered HTTP \(status)" }
    }

    /// Creates the notifier; the receiver must be `http` or `https`.
    public init(url: URL, timeoutSeconds: Int64 = 10, client: HTTPClient = .shared) throws {
        guard ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw DomainError.invalid("notify.webhook", "'\(url.absoluteString)' is not an http(s) URL")
        }
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.client = client
        encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// Posts the notices.
    public func deliver(_ notices: [ReporterNotice]) async throws {
        guard !notices.isEmpty else { return }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "Idempotency-Key", value: notices.map(\.id).joined(separator: ","))
        request.body = .bytes(Array(try encoder.encode(notices)))
        let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
        // Read (and drop) the body so the connection can be reused.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else { throw Failure(status: Int(response.status.code)) }
    }
}
