import Foundation

/// Delivers notices to the people who reported cases (a log file, a webhook, an SMS gateway…).
public protocol ReporterNotifier: Sendable {
    /// Delivers the notices; throws when they could not be handed over.
    func deliver(_ notices: [ReporterNotice]) async throws
}

/// Sends nothing: for tools and tests that have no one to tell.
public struct SilentNotifier: ReporterNotifier {
    /// Creates the notifier.
    public init() {}
    /// Drops the notices.
    public func deliver(_ notices: [ReporterNotice]) async throws {}
}
