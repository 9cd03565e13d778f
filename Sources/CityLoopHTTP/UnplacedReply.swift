import CityLoopDomain
import CityLoopServices
import Foundation

/// A queued report as the API shows it: the stored entry with its `input` as the JSON object it is (the queue keeps
/// it as text), so clients do not parse JSON inside JSON (issue 13 §6).
struct UnplacedReply: Encodable {
    let entry: UnplacedReport

    private enum Key: String, CodingKey { case input }

    func encode(to encoder: any Encoder) throws {
        try entry.encode(to: encoder)
        // The same key written again replaces the text with the object; text that is not a report stays text.
        guard let input = try? APIJSON.decoder.decode(ReportInput.self, from: Data(entry.input.utf8)) else { return }
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(input, forKey: .input)
    }
}
