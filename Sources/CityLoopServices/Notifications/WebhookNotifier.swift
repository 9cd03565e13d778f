import AsyncHTTPClient
import CityLoopDomain
import Foundation

/// Delivers notices by POSTing them as a JSON array to a URL (an SMS gateway's or a city app's receiver), with
/// the notice ID as `Idempotency-Key`; any answer but 2xx, a timeout or a refused connection is a failure that
/// the dispatcher retries. The receiver's name is resolved once per delivery and checked by the
/// `CallbackAddressPolicy`; the connection goes to the checked address through AsyncHTTPClient's `dnsOverride`,
/// so the `Host` header, TLS SNI and the certificate check still use the name. Redirects are not followed.
public struct WebhookNotifier: ReporterNotifier {
    /// The receiver.
    public let url: URL
    let timeoutSeconds: Int64
    let policy: CallbackAddressPolicy
    let encoder: JSONEncoder

    /// A failed delivery.
    public struct Failure: Error, CustomStringConvertible {
        /// The receiver's status code.
        public var status: Int
        /// What went wrong.
        public var description: String { "webhook answered HTTP \(status)" }
    }

    /// Creates the notifier; the receiver must be `http` or `https` and pass the policy (an allow-listed host when
    /// it is in a private network).
    public init(url: URL, timeoutSeconds: Int64 = 10, policy: CallbackAddressPolicy = .init(), field: String = "notify.webhook") throws {
        try policy.check(url.absoluteString, field: field)
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.policy = policy
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
        let status: Int
        if let address = try policy.address(for: url), let host = CallbackAddressPolicy.host(of: url) {
            var configuration = Self.configuration
            configuration.dnsOverride = [host: address]
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            do {
                status = try await Self.post(request, client: client, timeout: timeoutSeconds)
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        } else {
            status = try await Self.post(request, client: Self.allowListed, timeout: timeoutSeconds)
        }
        guard (200..<300).contains(status) else { throw Failure(status: status) }
    }

    private static func post(_ request: HTTPClientRequest, client: HTTPClient, timeout: Int64) async throws -> Int {
        let response = try await client.execute(request, timeout: .seconds(timeout))
        // Read (and drop) the body so the connection can be reused.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }

    // A redirect would lead around the address check.
    private static var configuration: HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        c.redirectConfiguration = .disallow
        return c
    }

    /// The client for allow-listed hosts, kept for the life of the process.
    private static let allowListed = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

    /// What a partner may read about a failed delivery: a class of failure, never the connection's error text
    /// (which would map the platform's internal network).
    public static func failureClass(_ error: any Error) -> String {
        switch error {
        case let f as Failure: return "delivery failed (HTTP \(f.status))"
        case is CallbackAddressPolicy.Refused: return "delivery refused (address not allowed)"
        case let e as HTTPClientError where [.connectTimeout, .readTimeout, .deadlineExceeded].contains(e): return "delivery failed (timeout)"
        case is HTTPClientError: return "delivery failed (connection error)"
        default: return "delivery failed (connection error)"
        }
    }
}
