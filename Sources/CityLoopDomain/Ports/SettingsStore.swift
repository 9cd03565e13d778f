import Foundation

/// Settings kept as JSON text by key (the calendar, step limits, policies).
public protocol SettingsStore: Sendable {
    /// A stored setting (JSON text), e.g. the calendar or step limits.
    func setting(_ key: String) async throws -> String?
    /// Stores a setting.
    func saveSetting(_ key: String, _ value: String) async throws
    /// Stores `value` unless the key already has one, atomically, and returns the value the key holds after: two
    /// nodes starting at once agree on one (e.g. the tracking codes' secret).
    func saveSettingIfAbsent(_ key: String, _ value: String) async throws -> String
}
