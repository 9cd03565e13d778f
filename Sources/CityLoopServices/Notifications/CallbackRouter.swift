import CityLoopDomain
import Foundation

/// Sends each notice whose recipient gave a callback URL (a hotline platform's or another bureau's receiver) to
/// that URL as a webhook, and every other notice through the platform's notifier (log file, webhook, SMS…).
public struct CallbackRouter: ReporterNotifier {
    let fallback: any ReporterNotifier
    let timeoutSeconds: Int64
    let policy: CallbackAddressPolicy

    /// Creates the router over the platform's notifier; callbacks are checked by `policy`.
    public init(fallback: any ReporterNotifier, timeoutSeconds: Int64 = 10, policy: CallbackAddressPolicy = .init()) {
        self.fallback = fallback
        self.timeoutSeconds = timeoutSeconds
        self.policy = policy
    }

    /// Delivers the notices, callbacks first; throws when any could not be handed over.
    public func deliver(_ notices: [ReporterNotice]) async throws {
        var rest: [ReporterNotice] = []
        for n in notices {
            guard let text = n.recipient.callbackURL else {
                rest.append(n)
                continue
            }
            guard let url = URL(string: text) else { throw DomainError.invalid("callbackURL", "'\(text)' is not a URL") }
            try await WebhookNotifier(url: url, timeoutSeconds: timeoutSeconds, policy: policy, field: "callbackURL").deliver([n])
        }
        if !rest.isEmpty { try await fallback.deliver(rest) }
    }
}
