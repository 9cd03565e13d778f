import CityLoopDomain
import Foundation

/// Weighbridge tickets from a CSV export (磅单导入), one ticket a line under a header naming the columns:
/// `number,siteID,vehicleID,plate,weighedAt,grossKg,tareKg,material` (any order; `vehicleID` or `plate` may be
/// left out, `material` is optional). Times are ISO 8601, milliseconds since 1970, or `yyyy-MM-dd HH:mm[:ss]` in
/// China Standard Time (UTC+8), as weighbridge systems export them.
public enum WeighbridgeFile {
    /// The most tickets a file holds.
    public static let maxLines = 100_000

    /// The tickets of a CSV text. Throws an invalid-input error naming `[i].field` (i counts the tickets from 0, the
    /// message names the line) for the first line that cannot be read, or `body` for a header without the columns.
    public static func csv(_ text: String) throws -> [WeighbridgeTicket] {
        let records = CSVReader.records(text).filter { $0.error != nil || !$0.fields.allSatisfy(\.isEmpty) }
        guard let header = records.first?.fields,
            ["number", "siteID", "weighedAt", "grossKg", "tareKg"].allSatisfy(header.contains),
            header.contains("vehicleID") || header.contains("plate")
        else {
            throw DomainError.invalid("body", "the first line must name the columns: number,siteID,vehicleID and/or plate,weighedAt,grossKg,tareKg[,material]")
        }
        guard records.count <= maxLines + 1 else { throw DomainError.invalid("body", "at most \(maxLines) tickets per file") }
        let column = Dictionary(header.enumerated().map { ($1, $0) }) { a, _ in a }
        return try records.dropFirst().enumerated().map { i, record in
            func fail(_ field: String, _ message: String) -> DomainError { DomainError.invalid("[\(i)].\(field)", "line \(record.line): \(message)") }
            if let error = record.error { throw fail("line", error) }
            func cell(_ name: String) -> String? {
                column[name].flatMap { $0 < record.fields.count ? record.fields[$0] : nil }.flatMap { $0.isEmpty ? nil : $0 }
            }
            func kg(_ name: String) throws -> Double {
                guard let text = cell(name), let v = Double(text), v.isFinite else { throw fail(name, "\(name) must be a number of kg") }
                return v
            }
            guard let at = cell("weighedAt").flatMap(time) else {
                throw fail("weighedAt", "weighedAt must be ISO 8601, milliseconds since 1970, or yyyy-MM-dd HH:mm:ss (UTC+8)")
            }
            return WeighbridgeTicket(
                number: cell("number") ?? "", siteID: SiteID(cell("siteID") ?? ""), vehicleID: cell("vehicleID").map { VehicleID($0) },
                plate: cell("plate"), weighedAt: at, grossKg: try kg("grossKg"), tareKg: try kg("tareKg"), material: cell("material"))
        }
    }

    /// A time as weighbridge exports write it.
    static func time(_ text: String) -> Date? {
        if let d = ReadingPayload.time(text) { return d }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = WorkingCalendar.dayNumber(String(parts[0])) else { return nil }
        let hms = parts[1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(hms.count), hms.allSatisfy({ $0 != nil }), parts[1].count <= 8 else { return nil }
        let (h, m, s) = (hms[0]!, hms[1]!, hms.count == 3 ? hms[2]! : 0)
        guard (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return Date(timeIntervalSince1970: Double(day) * 86_400 + Double(h * 3600 + m * 60 + s) - 8 * 3600)
    }
}
