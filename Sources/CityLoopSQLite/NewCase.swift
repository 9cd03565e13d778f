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
    var eventText: [UInt8]
    /// The record's JSON with the placeholder number.
    var json: [UInt8]
    /// Where the placeholder digits are in `json`; nil when not found (then the record is encoded again in the
    /// transaction).
    var digitsOffset: Int?

    static let placeholder = "#####"

    init(_ record: CaseRecord, firstEvent: CaseEvent, numberPrefix: String, nearby: OpenCasesQuery?) {
        var r = record
        r.eventCount = 1
        r.lastEventHash = firstEvent.hash
        self.record = r
        self.firstEvent = firstEvent
        self.numberPrefix = numberPrefix
        self.nearby = nearby
        eventText = firstEvent.canonicalBytes
        r.number = numberPrefix + Self.placeholder
        json = JSONText.data(r, dates: .millisecondsSince1970)
        // A string value cannot hold an unescaped quote, so this key-and-value text occurs only as the number field.
        let marker = Array((#""number":""# + numberPrefix + Self.placeholder + "\"").utf8)
        digitsOffset = Self.offset(of: marker, in: json).map { $0 + marker.count - 1 - Self.placeholder.utf8.count }
    }

    /// Where `needle` first occurs in `bytes` (Foundation's generic `firstRange(of:)` was a tenth of intake time).
    static func offset(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        return bytes.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var i = 0
                while i <= h.count - n.count {
                    if h[i] == n[0], memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 { return i }
                    i += 1
                }
                return nil
            }
        }
    }

    /// The record's JSON with the number's digits.
    func json(digits: String) -> [UInt8] {
        guard let at = digitsOffset else {
            var r = record
            r.number = numberPrefix + digits
            return JSONText.data(r, dates: .millisecondsSince1970)
        }
        var text = json
        text.replaceSubrange(at..<(at + Self.placeholder.utf8.count), with: digits.utf8)
        return text
    }
}
