import CityLoopDomain
import Foundation
import Testing

/// Reference data round trips: every test runs against every store.
@Suite("Reference store conformance")
struct ReferenceStoreConformanceTests {
    static func square(_ lat: Double, _ lon: Double) -> Polygon {
        Polygon(outer: [
            GeoPoint(lat: lat, lon: lon), GeoPoint(lat: lat, lon: lon + 0.01), GeoPoint(lat: lat + 0.01, lon: lon + 0.01),
            GeoPoint(lat: lat + 0.01, lon: lon),
        ])
    }

    @Test("replaceAreas replaces the whole area hierarchy and grid set", arguments: StoreKind.allCases)
    func areasAndGrids(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.areas().isEmpty)
            #expect(try await store.grids().isEmpty)
            let areas = [
                Area(code: "110100", name: "北京市", level: .city, parentCode: nil, boundary: Self.square(39.9, 116.3)),
                Area(code: "110101", name: "东城区", level: .district, parentCode: "110100", boundary: Self.square(39.9, 116.4)),
                Area(code: "110101001", name: "东华门街道", level: .street, parentCode: "110101", boundary: Self.square(39.91, 116.4)),
                Area(code: "110101001001", name: "社区", level: .community, parentCode: "110101001", boundary: Self.square(39.91, 116.41)),
            ]
            let grids = ["110101001001002", "110101001001001", "110101001001003"].map { UnitGrid(code: $0, boundary: Self.square(39.911, 116.411)) }
            try await store.replaceAreas(areas, grids: grids)
            #expect(try await store.areas().sorted { $0.code < $1.code } == areas.sorted { $0.code < $1.code })
            #expect(try await store.grids().sorted { $0.code < $1.code } == grids.sorted { $0.code < $1.code })
            try await store.replaceAreas(Array(areas.prefix(2)), grids: [grids[1]])
            #expect(try await store.areas().sorted { $0.code < $1.code } == Array(areas.prefix(2)))
            #expect(try await store.grids() == [grids[1]])
        }
    }

    @Test("departments are added or replaced by ID", arguments: StoreKind.allCases)
    func departments(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let water = Department(id: "water", name: "水务局", nameEn: "Water")
            let roads = Department(id: "roads", name: "路政", nameEn: "Roads", areaCode: "110101", territorial: true)
            try await store.saveDepartments([water, roads])
            var renamed = water
            renamed.name = "水务集团"
            let parks = Department(id: "parks", name: "园林", nameEn: "Parks")
            try await store.saveDepartments([renamed, parks])
            #expect(try await store.departments().sorted { $0.id < $1.id } == [parks, roads, renamed])
        }
    }

    @Test("replaceRules keeps the given order and replaces the whole list", arguments: StoreKind.allCases)
    func rules(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let rules = [
                ResponsibilityRule(id: "r9", matter: "06001", areaCode: "110101", departmentID: "sanitation", limits: [.normal: .hours(4)]),
                ResponsibilityRule(id: "r1", matter: "06", areaCode: nil, departmentID: "roads", limits: [.normal: .days(2), .urgent: .hours(8)]),
                ResponsibilityRule(id: "r5", matter: "01001", areaCode: nil, departmentID: "water", limits: [:]),
            ]
            try await store.replaceRules(rules)
            #expect(try await store.rules() == rules)
            try await store.replaceRules([rules[2], rules[0]])
            #expect(try await store.rules() == [rules[2], rules[0]])
            try await store.replaceRules([])
            #expect(try await store.rules().isEmpty)
        }
    }

    @Test("catalog extensions are added or replaced by kind and code", arguments: StoreKind.allCases)
    func catalogExtensions(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let matter = CatalogEntry(code: "06901", kind: .matter, majorClass: "06", name: "共享单车乱停", isLocal: true)
            let component = CatalogEntry(code: "01901", kind: .component, majorClass: "01", name: "智能井盖", nameEn: "Smart cover", isLocal: true)
            let sameCodeOtherKind = CatalogEntry(code: "06901", kind: .component, majorClass: "06", name: "部件", isLocal: true)
            try await store.saveCatalogExtensions([matter, component])
            var renamed = matter
            renamed.name = "共享单车违停"
            try await store.saveCatalogExtensions([renamed, sameCodeOtherKind])
            let stored = try await store.catalogExtensions()
            #expect(stored.count == 3)
            #expect(Set(stored) == [renamed, component, sameCodeOtherKind])
        }
    }

    static func components() -> [Component] {
        let grids = ["110101001001001", "110101001002001", "110101002001001", "110102001001001"]
        let classes = ["01001", "01002", "02005", "05003"]
        return (0..<40).map { i in
            let cls = classes[(i * 7) % classes.count]
            let grid = grids[(i * 3) % grids.count]
            return Component(
                id: String(grid.prefix(6)) + cls + String(format: "%06d", 40 - i), classCode: cls, name: "部件\(i)",
                point: GeoPoint(lat: 39.9 + Double(i) / 1000, lon: 116.4), gridCode: grid,
                state: ComponentState.allCases[i % ComponentState.allCases.count], surveyedAt: Fixture.at(Double(i) * 60),
                changedAt: Fixture.at(Double(i) * 120), remark: i % 5 == 0 ? "备注" : nil)
        }
    }

    @Test("components: lookup, replace by ID, ComponentQuery filters and paging", arguments: StoreKind.allCases)
    func components(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var all = Self.components()
            try await store.saveComponents(all)
            all[3].state = .underRepair
            all[3].changedAt = Fixture.at(99_999.123)
            try await store.saveComponents([all[3]])
            #expect(try await store.component(id: all[3].id) == all[3])
            #expect(try await store.component(id: "00000000000000000") == nil)
            var queries: [ComponentQuery] = [ComponentQuery()]
            for a in ["110101", "110101001", "110101001001001", "110102", "9"] { var q = ComponentQuery(); q.areaCode = a; queries.append(q) }
            for c in ["01", "01002", "05", "05003", "07"] { var q = ComponentQuery(); q.classPrefix = c; queries.append(q) }
            for s in ComponentState.allCases { var q = ComponentQuery(); q.state = s; queries.append(q) }
            var combo = ComponentQuery()
            combo.areaCode = "110101"
            combo.classPrefix = "01"
            combo.state = .intact
            queries.append(combo)
            for (n, q) in queries.enumerated() {
                let want = all.filter(q.matches).sorted { $0.id < $1.id }
                var full = q
                full.limit = 1000
                #expect(try await store.components(full) == ComponentPage(items: want, total: want.count), "query \(n)")
                var page = q
                page.limit = 6
                page.offset = 4
                let part = try await store.components(page)
                #expect(part.total == want.count, "query \(n)")
                #expect(part.items == Array(want.dropFirst(4).prefix(6)), "query \(n) paged")
            }
        }
    }

    @Test("users: lookup by name and ID, nil hash keeps the stored one, taken username conflicts", arguments: StoreKind.allCases)
    func users(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let alice = User(id: "u1", username: "alice", displayName: "Alice", role: .inspector, gridScopes: ["110101001"], phone: "13800000000")
            let bob = User(id: "u2", username: "bob", displayName: "Bob", role: .handler, departmentID: "water")
            try await store.saveUser(alice, passwordHash: "hash-a")
            try await store.saveUser(bob, passwordHash: nil)
            let found = try #require(try await store.user(username: "alice"))
            #expect(found.0 == alice)
            #expect(found.1 == "hash-a")
            #expect(try await store.user(username: "bob")?.1 == nil)
            #expect(try await store.user(id: "u2") == bob)
            #expect(try await store.user(id: "u9") == nil)
            #expect(try await store.user(username: "carol") == nil)

            var renamed = alice
            renamed.displayName = "Alice L."
            renamed.active = false
            try await store.saveUser(renamed, passwordHash: nil)
            #expect(try await store.user(username: "alice")?.0 == renamed)
            #expect(try await store.user(username: "alice")?.1 == "hash-a")
            try await store.saveUser(renamed, passwordHash: "hash-b")
            #expect(try await store.user(username: "alice")?.1 == "hash-b")

            let impostor = User(id: "u3", username: "alice", displayName: "Not Alice", role: .admin)
            await expectDomainError(code: "user.exists", kind: .conflict) { try await store.saveUser(impostor, passwordHash: "x") }
            #expect(try await store.user(id: "u3") == nil)
            #expect(try await store.user(username: "alice")?.0 == renamed)

            var moved = bob
            moved.username = "robert"
            try await store.saveUser(moved, passwordHash: nil)
            #expect(try await store.user(username: "bob") == nil)
            #expect(try await store.user(username: "robert")?.0 == moved)
            #expect(Set(try await store.users()) == [renamed, moved])
        }
    }

    @Test("tokens: save, find, delete, list API tokens", arguments: StoreKind.allCases)
    func tokens(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let session = AccessToken(hash: "h-session", userID: "u1", label: "session", isAPIToken: false, createdAt: Fixture.at(1), expiresAt: Fixture.at(3601.5))
            let partner = AccessToken(hash: "h-partner", userID: "u2", label: "12345 hotline", isAPIToken: true, createdAt: Fixture.at(2), expiresAt: nil)
            let sensor = AccessToken(hash: "h-sensor", userID: "u3", label: "IoT", isAPIToken: true, createdAt: Fixture.at(0.25), expiresAt: Fixture.at(86_400))
            for t in [session, partner, sensor] { try await store.saveToken(t) }
            #expect(try await store.token(hash: "h-session") == session)
            #expect(try await store.token(hash: "h-partner") == partner)
            #expect(try await store.token(hash: "nope") == nil)
            #expect(Set(try await store.apiTokens()) == [partner, sensor])
            try await store.deleteToken(hash: "h-partner")
            try await store.deleteToken(hash: "nope")
            #expect(try await store.token(hash: "h-partner") == nil)
            #expect(try await store.apiTokens() == [sensor])
            try await store.deleteToken(hash: "h-session")
            #expect(try await store.token(hash: "h-session") == nil)
        }
    }

    @Test("settings: missing is nil, saving overwrites", arguments: StoreKind.allCases)
    func settings(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.setting("calendar") == nil)
            try await store.saveSetting("calendar", #"{"holidays":["2026-10-01"]}"#)
            try await store.saveSetting("steps", "{}")
            try await store.saveSetting("calendar", #"{"holidays":[]}"#)
            #expect(try await store.setting("calendar") == #"{"holidays":[]}"#)
            #expect(try await store.setting("steps") == "{}")
        }
    }

    @Test("saveSettingIfAbsent keeps the first value, also when many writers race", arguments: StoreKind.allCases)
    func settingIfAbsent(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.saveSettingIfAbsent("calendar", "{}") == "{}")
            #expect(try await store.saveSettingIfAbsent("calendar", "other") == "{}")
            let winners = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<8 { group.addTask { try await store.saveSettingIfAbsent("secret", "value-\(i)") } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(winners.count == 1)
            #expect(try await store.setting("secret") == winners.first)
        }
    }
}
