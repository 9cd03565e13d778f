import CityLoopDomain
import Foundation
import Testing

@Suite("Place table CSV")
struct PlaceCSVTests {
    @Test("quoted fields, doubled quotes, a BOM, CRLF and a line break inside quotes")
    func quotingBOMAndCRLF() throws {
        let csv =
            "\u{FEFF}name,address,lat,lon\r\n"
            + "\"紫荆山公园, 东门\",\"金水区金水路与紫荆山路交叉口\",34.7570,113.6650\r\n"
            + "\"\"\"二七\"\"纪念塔\",二七广场,34.7530,113.6600\r\n"
            + "\"郑州大学\n南校区\",大学路75号,34.7310,113.6370\r\n"
        let (places, rejected) = try Place.parseCSV(csv)
        #expect(rejected.isEmpty)
        try #require(places.count == 3)
        #expect(
            places[0]
                == Place(name: "紫荆山公园, 东门", address: "金水区金水路与紫荆山路交叉口", point: GeoPoint(lat: 34.757, lon: 113.665)))
        #expect(places[1].name == "\"二七\"纪念塔")
        #expect(places[1].address == "二七广场")
        #expect(places[2].name == "郑州大学\n南校区")
    }

    @Test("columns are found by header name, in any order, with extra columns and Chinese headers")
    func columnsInAnyOrder() throws {
        let english = try Place.parseCSV("lon,id,address,lat,name\n113.6650,P1,文化路12号,34.7700,\n")
        #expect(english.places == [Place(name: "", address: "文化路12号", point: GeoPoint(lat: 34.77, lon: 113.665))])
        let chinese = try Place.parseCSV("经度,纬度,名称\n113.6600,34.7530,二七广场\n")
        #expect(chinese.places == [Place(name: "二七广场", address: "", point: GeoPoint(lat: 34.753, lon: 113.66))])
    }

    @Test("bad rows are rejected with their line numbers; blank lines are skipped")
    func rejectedRows() throws {
        let csv = """
            name,address,lat,lon
            紫荆山公园,,34.7570,113.6650

            花园路12号,,abc,113.6700
            ,,34.7700,113.6700
            二七广场,,95,113.6600
            文化路12号,,34.7700,
            "未闭合,34.7,113.6
            """
        let (places, rejected) = try Place.parseCSV(csv)
        #expect(places.map(\.name) == ["紫荆山公园"])
        #expect(rejected.map(\.line) == [4, 5, 6, 7, 8])
        #expect(rejected[0].reason.contains("lat"))
        #expect(rejected[1].reason.contains("neither"))
        #expect(rejected[2].reason.contains("out of range"))
        #expect(rejected[3].reason.contains("lon"))
    }

    @Test("a header without a required column is refused")
    func missingHeaderColumn() {
        for csv in ["name,address,lat\n紫荆山公园,,34.75\n", "id,lat,lon\n1,34.75,113.66\n", ""] {
            do {
                _ = try Place.parseCSV(csv)
                Issue.record("accepted a table without a required column: \(csv)")
            } catch let error as DomainError {
                #expect(error.kind == .invalidInput)
                #expect(error.field == "csv")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}

@Suite("PlaceIndex fuzzy geocoding")
struct PlaceIndexTests {
    static let centre = GeoPoint(lat: 34.7570, lon: 113.6650)
    static func at(_ east: Double, _ north: Double) -> GeoPoint { centre.offset(eastMetres: east, northMetres: north) }

    static let places: [Place] = [
        Place(name: "紫荆山公园", address: "金水区金水路与紫荆山路交叉口", point: at(0, 0)),
        Place(name: "二七广场", address: "二七区解放路与人民路交叉口", point: at(-2000, -1500)),
        Place(name: "", address: "文化路12号", point: at(-500, 1500)),
        Place(name: "", address: "文化路120号", point: at(-500, 2600)),
        Place(name: "", address: "文化路88号", point: at(-500, 2100)),
        Place(name: "河南省人民医院", address: "纬五路7号", point: at(-1200, 1100)),
        Place(name: "", address: "花园路12号", point: at(300, 1400)),
        Place(name: "郑州大学（南校区）", address: "二七区大学路75号", point: at(-2500, -2500)),
        Place(name: "金水区人民政府", address: "金水区黄河路128号", point: at(-100, 2500)),
        Place(name: "二七区人民政府", address: "二七区政通路8号", point: at(-2600, -1900)),
        Place(name: "", address: "经三路123号", point: at(200, 800)),
        Place(name: "正商花园", address: "郑州市金水区农业路36号", point: at(800, 1800)),
        Place(name: "农业路加油站", address: "农业路36号", point: at(1500, 1800)),
    ]
    static let index = PlaceIndex(places)

    func resolved(_ query: String) -> String? { Self.index.resolve(query)?.place.address }

    @Test("an exact name resolves with score 1")
    func exactName() throws {
        let m = try #require(Self.index.resolve("紫荆山公园"))
        #expect(m.place.name == "紫荆山公园")
        #expect(m.score == 1)
        #expect(resolved("二七广场") == "二七区解放路与人民路交叉口")
        #expect(resolved("金水区人民政府") == "金水区黄河路128号")
    }

    @Test("an exact address resolves")
    func exactAddress() {
        #expect(resolved("文化路12号") == "文化路12号")
        #expect(resolved("文化路120号") == "文化路120号")
        #expect(resolved("大学路75号") == "二七区大学路75号")
    }

    @Test("a province, city or district prefix the table does not carry is ignored", arguments: [
        "河南省郑州市金水区文化路12号", "河南省郑州市郑州市金水区文化路12号", "郑州市金水区文化路12号",
        "郑州金水区文化路12号", "金水区文化路12号", "中国河南省郑州市文化路12号",
    ])
    func prefixedQuery(query: String) {
        #expect(resolved(query) == "文化路12号")
    }

    @Test("a prefix the table does carry matches; a different district does not count as the same place")
    func districtPrefixes() {
        #expect(resolved("郑州市二七区大学路75号") == "二七区大学路75号")
        let m = Self.index.match("金水区人民政府")
        #expect(m.first?.place.name == "金水区人民政府")
        #expect(m.first { $0.place.name == "二七区人民政府" }.map { $0.score < PlaceIndex.confidentScore } ?? true)
        // Without a district the two are equally good: ambiguous.
        #expect(Self.index.resolve("人民政府") == nil)
    }

    @Test("full-width digits and punctuation, spaces, a missing 号")
    func fullWidthAndSpacing() {
        #expect(resolved("文化路１２号") == "文化路12号")
        #expect(resolved("文化路 12") == "文化路12号")
        #expect(resolved("郑州大学(南校区)") == "二七区大学路75号")
        #expect(resolved("郑州大学南校区") == "二七区大学路75号")
        #expect(PlaceIndex.normalized("ＡＢＣ　１２３－４号·二七广场") == "abc123-4号二七广场")
    }

    @Test("Chinese-numeral house numbers")
    func chineseNumerals() {
        #expect(resolved("文化路十二号") == "文化路12号")
        #expect(resolved("文化路一百二十号") == "文化路120号")
        #expect(resolved("经三路一百二十三號") == "经三路123号")
        #expect(PlaceIndex.normalized("河南省 郑州市（金水区）文化路 一百二十三號") == "河南省郑州市金水区文化路123号")
        // Numerals that are part of a name stay.
        #expect(PlaceIndex.normalized("二七广场") == "二七广场")
    }

    @Test("a one-character typo, a missing 路, extra words and another word order still resolve")
    func typosAndWordOrder() {
        #expect(resolved("紫荆山公圆") == "金水区金水路与紫荆山路交叉口")
        #expect(resolved("文华路12号") == "文化路12号")
        #expect(resolved("文化12号") == "文化路12号")
        #expect(resolved("省人民医院") == "纬五路7号")
        #expect(resolved("郑州紫荆山公园东门附近") == "金水区金水路与紫荆山路交叉口")
        #expect(resolved("紫荆山路与金水路交叉口") == "金水区金水路与紫荆山路交叉口")
    }

    @Test("one address shared by two places: the name given with it decides")
    func nameWithAddress() {
        #expect(Self.index.resolve("农业路36号") == nil)
        #expect(Self.index.resolve("农业路36号正商花园")?.place.name == "正商花园")
        #expect(Self.index.resolve("郑州市金水区农业路36号正商花园")?.place.name == "正商花园")
        #expect(Self.index.resolve("农业路加油站")?.place.name == "农业路加油站")
        #expect(resolved("纬五路7号河南省人民医院") == "纬五路7号")
    }

    @Test("12号 and 120号 are different buildings")
    func twelveIsNotOneHundredTwenty() throws {
        let m = Self.index.match("文化路12号")
        #expect(m.first?.place.address == "文化路12号")
        #expect(m.first?.score == 1)
        let other = try #require(m.first { $0.place.address == "文化路120号" })
        #expect(other.score < PlaceIndex.confidentScore)

        let without12 = PlaceIndex(Self.places.filter { $0.address != "文化路12号" })
        #expect(without12.resolve("文化路12号") == nil)
        #expect(without12.resolve("文化路120号")?.place.address == "文化路120号")
        #expect(resolved("文化路13号") == nil)
    }

    @Test("two places on the same street: each number resolves to its own, the bare street to neither")
    func sameStreet() {
        #expect(resolved("文化路88号") == "文化路88号")
        #expect(resolved("文化路12号") == "文化路12号")
        #expect(Self.index.resolve("文化路") == nil)
        let m = Self.index.match("文化路", limit: 2)
        #expect(m.count == 2)
        #expect(m.allSatisfy { $0.place.address.hasPrefix("文化路") })
    }

    @Test("a query resembling nothing resolves to nil and lists nothing confident", arguments: [
        "上海市浦东新区陆家嘴环路1000号", "北京天安门", "", "！！！",
    ])
    func nothingMatches(query: String) {
        #expect(Self.index.resolve(query) == nil)
        #expect(Self.index.match(query).allSatisfy { $0.score < PlaceIndex.confidentScore })
    }

    @Test("an empty table matches nothing")
    func emptyTable() {
        let empty = PlaceIndex([])
        #expect(empty.count == 0)
        #expect(empty.match("文化路12号").isEmpty)
        #expect(empty.resolve("文化路12号") == nil)
    }

    @Test("matches come best first, within the limit, with scores in 0...1")
    func matchOrdering() {
        let m = Self.index.match("文化路12号", limit: 2)
        #expect(m.count == 2)
        #expect(m[0].score >= m[1].score)
        #expect(m.allSatisfy { (0...1).contains($0.score) })
        #expect(Self.index.match("文化路12号", limit: 0).isEmpty)
    }

    static let heads = [
        "文化", "花园", "经三", "经五", "纬一", "纬四", "农业", "金水", "黄河", "建设", "中原", "伏牛", "嵩山", "大学", "航海", "陇海",
        "南阳", "丰产", "政七", "东风", "未来", "红旗", "商城", "城东", "城北", "顺河", "郑汴", "桐柏", "秦岭", "工人", "百花", "康复",
        "互助", "兴华", "碧沙岗", "工业", "淮河", "长江", "华山", "棉纺",
    ]
    static let tails = ["路", "东路", "西路", "北路", "南路", "大道"]

    /// 240 streets with 417 numbers each, cut to 100,000 places; every 50th number also has a 院 name.
    static let synthetic: [Place] = {
        var out: [Place] = []
        out.reserveCapacity(100_000)
        for (h, head) in heads.enumerated() {
            for (t, tail) in tails.enumerated() {
                for n in 1...417 where out.count < 100_000 {
                    let street = head + tail
                    let point = at(Double((h * tails.count + t) * 150 - 18_000), Double(n * 30 - 6_000))
                    out.append(Place(name: n % 50 == 0 ? "\(street)\(n)号院" : "", address: "\(street)\(n)号", point: point))
                }
            }
        }
        return out
    }()

    @Test("a 100,000-place index resolves addresses, prefixed and full-width queries to the right place")
    func hundredThousandPlaces() {
        let index = PlaceIndex(Self.synthetic)
        #expect(index.count == 100_000)
        var wrong: [String] = []
        for i in stride(from: 0, to: Self.synthetic.count, by: 499) {
            let address = Self.synthetic[i].address
            let fullWidth = String(String.UnicodeScalarView(address.unicodeScalars.map {
                (0x30...0x39).contains($0.value) ? Unicode.Scalar($0.value + 0xFEE0)! : $0
            }))
            for query in [address, "郑州市金水区" + address, fullWidth] where index.resolve(query)?.place.address != address {
                wrong.append(query)
            }
        }
        #expect(wrong.isEmpty, "wrongly resolved: \(wrong.prefix(5))")
        #expect(index.resolve("文化路一百二十三号")?.place.address == "文化路123号")
        #expect(index.resolve("文化路12号")?.place.address == "文化路12号")
        #expect(index.resolve("金水东路１２号")?.place.address == "金水东路12号")
        #expect(index.resolve("金水东路1200号") == nil)
        #expect(index.resolve("文化路") == nil)
        #expect(index.match("陆家嘴环路").isEmpty)
    }
}

/// Writing the place table back reads as the same places.
@Suite struct PlaceCSVRoundTripTests {
    @Test func csvRoundTrip() throws {
        let places = [
            Place(name: "紫荆山公园, 南门", address: "金水路\"1\"号", point: GeoPoint(lat: 34.7612345, lon: 113.6812345)),
            Place(name: "二七纪念塔", address: "二七广场\n1号", point: GeoPoint(lat: 34.75, lon: 113.66)),
        ]
        let text = Place.csv(places)
        #expect(text.hasPrefix("name,address,lat,lon\n\"紫荆山公园, 南门\",\"金水路\"\"1\"\"号\","))
        let (back, rejected) = try Place.parseCSV(text)
        #expect(rejected.isEmpty)
        #expect(back == places)
    }
}
