import CityLoopDomain
import Foundation

/// The personal-data access log (`personal-data-access.log` in the data folder), one JSON line per read.
public struct AccessLogFile: PersonalDataAudit {
    let file: JSONLinesFile

    /// Creates the log at `url`.
    public init(url: URL) throws { file = try JSONLinesFile(url: url) }

    /// Appends the read.
    public func record(_ read: PersonalDataRead) async throws { try await file.append([read]) }

    /// Every read logged so far.
    public func reads() async throws -> [PersonalDataRead] { try await file.read(PersonalDataRead.self) }
}
