import Foundation

/// The whole storage contract: every port a store implements. Implementations: in-memory (tests), SQLite,
/// PostgreSQL; all pass the same conformance suites.
public typealias CityStore = CaseStore & NoticeOutboxStore & BulkLoadStore & LedgerStore & ReferenceStore & AccountStore & SettingsStore
    & PlacementStore & DashboardStore & EvaluationStore & AnalyticsStore & LoginAttemptStore
    & LeadershipStore & RateBudgetStore & AlertStore & DeviceStore & ReadingJournalStore & VehicleStore & WeighbridgeStore & SanitationStore & CompanyNoticeStore & CameraStore
