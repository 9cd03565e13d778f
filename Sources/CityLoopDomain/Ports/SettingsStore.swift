import Foundation

/// Settings kept as JSON text by key (the calendar, step limits, policies).
public protocol SettingsStore: Sendable {
    /// A stored setting (JSON text), e.g. the calendar or step limits.
    func setting(_ key: String) async throws -> String?
    /// Stores a setting.
    func saveSetting(_ key: String, _ value: String) async throws
}
