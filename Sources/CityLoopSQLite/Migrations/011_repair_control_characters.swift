import CityLoopDomain
import Foundation
import GRDB

extension SQLiteMigration {
    static let m011 = SQLiteMigration("011_repair_control_characters") { db in
        try SQLiteStore.repairControlCharacters(db)
    }
}
