import CityLoopDomain
import Foundation

/// Moves a whole city from one store to another (`cityloop copy`, 迁移): every table of `CopyTable.city` read from
/// the source in pages by ascending key and written into the target verbatim, each page in one transaction with
/// the copy's position. Run again after an interruption with the same source, it continues after the last page
/// the target holds; the result is the same city as an uninterrupted copy.
public struct CityCopy: Sendable {
    /// Where the city is read.
    public let source: any CityCopyStore
    /// Where it is written: an empty store, or one holding an unfinished copy of the same source.
    public let target: any CityCopyStore
    /// The source as the user named it (without a password); a resumed copy must name the same.
    public let sourceName: String
    /// Rows per page (and per target transaction).
    public let pageSize: Int

    /// Creates a copy of `source` into `target`.
    public init(source: any CityCopyStore, target: any CityCopyStore, sourceName: String, pageSize: Int = 5000) {
        self.source = source
        self.target = target
        self.sourceName = sourceName
        self.pageSize = max(1, pageSize)
    }

    /// How far the copy is, after each page.
    public struct Status: Sendable {
        /// The table being copied.
        public var table: String
        /// Its rows in the target so far, and in the source.
        public var tableDone: Int, tableTotal: Int
        /// Cases in the target so far, and in the source.
        public var casesDone: Int, casesTotal: Int
    }

    /// One table's rows on both sides after the copy.
    public struct TableCount: Sendable, Hashable {
        /// The table.
        public var table: String
        /// Rows in the source and in the target.
        public var source: Int, target: Int
    }

    /// What a finished copy did.
    public struct Summary: Sendable {
        /// Every table's rows on both sides (equal after a copy of a source nobody wrote to meanwhile).
        public var counts: [TableCount]
        /// Whether it continued an unfinished copy.
        public var resumed: Bool
        /// Pages written by this run.
        public var pages: Int
    }

    /// Why a copy is refused, in one line for the operator.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        /// The message shown.
        public var message: String
        /// Creates a refusal.
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// A copy stopped on purpose after a number of pages (tests of resuming).
    public struct Stopped: Error {}

    /// Copies the city, reporting progress after every page. With `stopAfterPages`, stops (throwing `Stopped`)
    /// after writing that many pages, as an interruption would.
    public func run(stopAfterPages: Int? = nil, progress: @Sendable (Status) -> Void = { _ in }) async throws -> Summary {
        if try await source.copyProgress() != nil {
            throw Refusal("the source \(sourceName) is itself an unfinished copy: finish that copy first")
        }
        let position = try await target.copyProgress()
        if let position, position.source != sourceName {
            throw Refusal("the target holds an unfinished copy of \(position.source), not of \(sourceName): run that copy again, or copy into an empty database")
        }
        if position == nil {
            for table in CopyTable.city where !(try await target.copyRows(table, after: nil, limit: 1).isEmpty) {
                throw Refusal(
                    "the target is not empty (its table \(table.name) has rows): copy into an empty database "
                        + "(a node started on it writes its tracking secret: copy before starting the nodes, after `cityloop migrate`)")
            }
        }
        var totals: [String: Int] = [:]
        for table in CopyTable.city { totals[table.name] = try await source.copyCount(table) }
        let start = position.flatMap { p in CopyTable.city.firstIndex { $0.name == p.table } } ?? 0
        var pages = 0
        let tables = CopyTable.city[start...]
        func copyAll() async throws {
            var casesDone = 0
            if position != nil, let cases = CopyTable.city.first(where: { $0.name == "cases" }) { casesDone = try await target.copyCount(cases) }
            for table in tables {
                var after = table.name == position?.table ? position?.after : nil
                var done = after == nil ? 0 : try await target.copyCount(table)
                // The next page is read from the source while this one is written into the target.
                var next = Task { [source, pageSize, after] in try await source.copyRows(table, after: after, limit: pageSize) }
                defer { next.cancel() }
                while true {
                    let rows = try await next.value
                    guard let last = rows.last else { break }
                    after = table.key(of: last)
                    next = Task { [source, pageSize, after] in try await source.copyRows(table, after: after, limit: pageSize) }
                    try await target.writeCopyRows(table, rows, progress: CopyProgress(source: sourceName, table: table.name, after: after))
                    pages += 1
                    done += rows.count
                    if table.name == "cases" { casesDone = done }
                    progress(Status(table: table.name, tableDone: done, tableTotal: totals[table.name] ?? 0, casesDone: casesDone, casesTotal: totals["cases"] ?? 0))
                    if let stopAfterPages, pages >= stopAfterPages { throw Stopped() }
                }
            }
        }
        if let bulk = target as? any BulkLoadStore {
            // Into a store without cases, its secondary indexes are built once at the end.
            try await bulk.withBulkLoad { try await copyAll() }
        } else {
            try await copyAll()
        }
        try await target.finishCopy()
        var counts: [TableCount] = []
        for table in CopyTable.city {
            counts.append(TableCount(table: table.name, source: totals[table.name] ?? 0, target: try await target.copyCount(table)))
        }
        return Summary(counts: counts, resumed: position != nil, pages: pages)
    }
}
