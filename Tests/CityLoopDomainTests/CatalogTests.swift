import CityLoopDomain
import Testing

@Suite("Catalog")
struct CatalogTests {
    let national = Catalog.national

    @Test("the national catalog has 153 components and 250 matters")
    func counts() {
        #expect(national.count(.component) == 153)
        #expect(national.count(.matter) == 250)
        #expect(national.allEntries.count == 403)
        #expect(national.allEntries.allSatisfy { !$0.isLocal && AreaCodeRules.isDigits($0.code, length: 5) && !$0.name.isEmpty })
    }

    @Test("lookups by code, per kind")
    func lookups() throws {
        let garbage = try #require(national.matter("06010"))
        #expect(garbage.name == "暴露垃圾" && garbage.majorClass == "市容环境类" && garbage.kind == .matter)
        #expect(national.component("01001")?.name == "供水井盖")
        #expect(national.matter("01001")?.name == "供水井盖异常")
        #expect(national.component("06010") == nil)
        #expect(national.matter("99999") == nil)
        let matters = national.all(.matter).map(\.code)
        #expect(matters == matters.sorted())
    }

    @Test("every major class has an English name")
    func majorClasses() {
        let majors = Set(national.allEntries.map(\.majorCode))
        #expect(majors == Set(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"]))
        #expect(majors.allSatisfy { Catalog.majorClassEnglish[$0] != nil })
    }

    @Test("matters of major classes 01–05 are about components", arguments: ["01001", "02004", "03001", "04001", "05001"])
    func componentMatters(code: String) {
        #expect(CatalogEntry(code: code, kind: .matter, majorClass: "x", name: "x").isComponentMatter)
    }

    @Test("matters of major classes 06–10 are events", arguments: ["06010", "07001", "08001", "09001", "10001"])
    func eventMatters(code: String) {
        #expect(!CatalogEntry(code: code, kind: .matter, majorClass: "x", name: "x").isComponentMatter)
        #expect(CaseRecord.numberPrefix(matterCode: code, date: "20260706").hasPrefix("E"))
        #expect(CaseRecord.numberPrefix(matterCode: "01001", date: "20260706") == "C0100120260706")
    }

    @Test("a local extension may not reuse a national code")
    func extensionCannotReuseNationalCode() {
        let clash = CatalogEntry(code: "06010", kind: .matter, majorClass: "市容环境类", name: "本地垃圾")
        #expect {
            try national.adding([clash])
        } throws: { error in
            guard let e = error as? DomainError else { return false }
            return e.kind == .conflict && e.code == "catalog.code_taken" && e.message.contains("暴露垃圾")
        }
    }

    @Test("local extensions are added, marked local, and may be replaced by later local entries")
    func localExtension() throws {
        let local = CatalogEntry(code: "06901", kind: .matter, majorClass: "市容环境类", name: "共享单车乱停放")
        let extended = try national.adding([local])
        #expect(extended.count(.matter) == 251)
        #expect(extended.matter("06901")?.isLocal == true)
        #expect(national.matter("06901") == nil)
        let renamed = try extended.adding([CatalogEntry(code: "06901", kind: .matter, majorClass: "市容环境类", name: "单车乱停")])
        #expect(renamed.matter("06901")?.name == "单车乱停")
        #expect(renamed.count(.matter) == 251)
    }

    @Test("malformed extensions are refused")
    func malformedExtension() {
        #expect(throws: DomainError.self) { try national.adding([CatalogEntry(code: "6901", kind: .matter, majorClass: "x", name: "x")]) }
        #expect(throws: DomainError.self) { try national.adding([CatalogEntry(code: "06901", kind: .matter, majorClass: "x", name: "")]) }
    }

    @Test("CSV parsing: header skipped, bad lines refused, commas kept in names")
    func csv() throws {
        let ok = try Catalog(csv: "code,kind,major_class,name\n06901,matter,市容环境类,a,b\n", isLocal: true)
        #expect(ok.matter("06901")?.name == "a,b")
        #expect(ok.matter("06901")?.isLocal == true)
        #expect(throws: DomainError.self) { try Catalog(csv: "code,kind,major_class,name\n06901,thing,x,y\n") }
        #expect(throws: DomainError.self) { try Catalog(csv: "code,kind,major_class,name\n06901,matter\n") }
        #expect(throws: DomainError.self) { try Catalog(csv: "code,kind,major_class,name\nABCDE,matter,x,y\n") }
    }

    @Test("every national entry has an English name and major class, with no Chinese in them")
    func englishNames() throws {
        func hasHan(_ s: String) -> Bool { s.unicodeScalars.contains { (0x3400...0x9FFF).contains($0.value) } }
        for e in national.allEntries {
            let en = try #require(e.nameEn, "\(e.kind) \(e.code) \(e.name) has no English name")
            #expect(!en.isEmpty && !hasHan(en), "\(e.code): \(en)")
            #expect(e.majorClassEn == Catalog.majorClassEnglish[e.majorCode])
        }
        #expect(national.matter("06010")?.nameEn == "Exposed garbage")
        #expect(national.component("01001")?.nameEn == "Water supply manhole cover")
        #expect(national.matter("09006")?.nameEn == "Street vending occupying the road")
        #expect(national.matter("08006")?.nameEn == "Construction materials piled illegally")
    }

    @Test("a CSV without English columns still parses; a name after the fourth column may hold commas")
    func csvWithoutEnglish() throws {
        let plain = try Catalog(csv: "code,kind,major_class,name\n06901,matter,市容环境类,单车,乱停\n", isLocal: true)
        #expect(plain.matter("06901")?.name == "单车,乱停")
        #expect(plain.matter("06901")?.nameEn == nil)
        let english = try Catalog(
            csv: "code,kind,major_class,major_class_en,name,name_en\n06901,matter,市容环境类,City appearance,单车乱停,Bikes parked badly\n")
        #expect(english.matter("06901")?.nameEn == "Bikes parked badly")
        #expect(english.matter("06901")?.majorClassEn == "City appearance")
        #expect(throws: DomainError.self) {
            try Catalog(csv: "code,kind,major_class,major_class_en,name,name_en\n06901,matter,市容环境类,City appearance\n")
        }
    }
}
