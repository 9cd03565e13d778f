import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m004 = SQLiteMigration("004_canonical_events") { db in
        // Events are kept as the canonical text their hash covers rather than JSON: half the size, nothing
        // to encode at write time (the text is built for the hash anyway), and what verify checks is what is read.
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        let update = try db.makeStatement(sql: "UPDATE case_events SET data = ? WHERE case_id = ? AND seq = ?")
        let rows = try Row.fetchCursor(db, sql: "SELECT case_id, seq, data FROM case_events WHERE data LIKE '{%'")
        var pending: [(String, String, Int)] = []
        while let row = try rows.next() {
            let event = try decoder.decode(CaseEvent.self, from: Data((row[2] as String).utf8))
            pending.append((event.canonicalText, row[0], row[1]))
        }
        for (text, caseID, seq) in pending { try update.execute(arguments: [text, caseID, seq]) }
    }
}
