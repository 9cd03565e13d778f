import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// Component CSV through the shared CSV reader: quoted fields, blank lines, rejected rows by line.
@Suite struct ComponentCSVTests {
    @Test func quotedFieldsBlankLinesAndRejections() {
        let text = """
            id,class_code,name,lat,lon,state,owner,maintainer,remark
            41010200101001001,01001,"供水井盖, 北侧",34.75,113.65,,,,"跨行
            备注"

            41010200101001002,01001,井盖,north,113.65
            41010200101001003,01002,污水井盖,34.76,113.66,,,,
            """
        let (rows, rejected) = ComponentCSV.decode(text)
        #expect(rows.map(\.id) == ["41010200101001001", "41010200101001003"])
        #expect(rows.first?.name == "供水井盖, 北侧")
        #expect(rows.first?.remark == "跨行\n备注")
        #expect(rejected.map(\.id) == ["41010200101001002"])
        #expect(rejected.first?.problems.first?.hasPrefix("line 5:") == true, "\(rejected)")
        // What encode writes, decode reads back.
        let again = ComponentCSV.decode(ComponentCSV.encode([]) + "41010200101001004,01001,\"a \"\"b\"\"\",1,2\n")
        #expect(again.rows.first?.name == "a \"b\"")
    }
}
