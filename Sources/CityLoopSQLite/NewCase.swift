import CityLoopDomain
import Foundation

/// A new case ready for the intake transaction: its JSON encoded beforehand, on the reporting task, so that
/// the single writer only binds text. The number is drawn inside the transaction, so the record is encoded
/// with a placeholder number and the sequence digits are spliced in where the placeholder was.
struct NewCase: Sendable {
    /// The record as stored (chain head set, number still unset).
    var record: CaseRecord
    var firstEvent: CaseEvent
    var numberPrefix: String
    /// Open cases to read in the same transaction.
    var nearby: OpenCasesQuery?
    var eventText: String
    /// The record's JSON before and after the number's sequence digits; nil when the placeholder was not
    /// found (then the record is encoded again in the transaction).
    var split: (head: String, tail: String)?

    static let placeholder = "#####"

    init(_ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String, nearby: OpenCasesQuery?, store: SQLiteStore) {
        var r = record
        r.eventCount = 1
        r.lastEventHash = firstEvent.hash
        self.record = r
        self.firstEvent = firstEvent
        self.numberPrefix = numberPrefix
        self.nearby = nearby
        eventText = firstEvent.canonicalText
        r.number = numberPrefix + Self.placeholder
        let json = store.json(r)
        // A string value cannot hold an unescaped quote, so this key-and-value text occurs only as the number field.
        let marker = #""number":""# + numberPrefix
        if let range = json.range(of: marker + Self.placeholder + "\"") {
            let digitsStart = json.index(range.lowerBound, offsetBy: marker.count)
            split = (String(json[..<digitsStart]), String(json[json.index(before: range.upperBound)...]))
        }
    }

    /// The record's JSON with the number's digits.
    func json(digits: String, store: SQLiteStore) -> String {
        if let split { return split.head + digits + split.tail }
        var r = record
        r.number = numberPrefix + digits
        return store.json(r)
    }
}
