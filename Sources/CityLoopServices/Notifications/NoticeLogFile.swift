import CityLoopDomain
import Foundation

/// Appends every notice as one JSON line to a file (`notices.log` in the data folder): the delivery record
/// and the adapter for cities without an SMS gateway or webhook yet.
public struct NoticeLogFile: ReporterNotifier {
    let file: JSONLinesFile

    /// Creates the log at `url`.
    public init(url: URL) throws { file = try JSONLinesFile(url: url) }

    /// Appends the notices.
    public func deliver(_ notices: [ReporterNotice]) async throws { try await file.append(notices) }

    /// Every notice logged so far.
    public func notices() async throws -> [ReporterNotice] { try await file.read(ReporterNotice.self) }
}
