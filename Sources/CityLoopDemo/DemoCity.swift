import CityLoopDomain
import CityLoopServices
import Foundation

/// Installs the demo city into an empty platform: map, departments, responsibility list, accounts,
/// components and case history. Deterministic from the seed (apart from password hashes' salt); case times are
/// relative to the start of the hour it is installed in.
public enum DemoCity {
    /// The seed of the demo city when none is given.
    public static let defaultSeed: UInt64 = 20_260_701

    /// What was installed.
    public struct Summary: Codable, Sendable {
        /// Seed used.
        public var seed: UInt64
        /// Areas.
        public var areas: Int
        /// Unit grids.
        public var grids: Int
        /// Departments.
        public var departments: Int
        /// Responsibility rules.
        public var rules: Int
        /// Accounts.
        public var users: Int
        /// Components.
        public var components: Int
        /// Cases.
        public var cases: Int
        /// Events.
        public var events: Int
        /// Devices.
        public var devices: Int?
        /// Vehicles of the fleet.
        public var vehicles: Int?
        /// AI cameras.
        public var cameras: Int?
    }

    /// Installs the demo. `progress` is called with (phase, done, total).
    public static func install(
        into platform: Platform, seed: UInt64 = DemoCity.defaultSeed, scale: DemoScale = .standard, password: String,
        progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }
    ) async throws -> Summary {
        let admin = AdminService(platform: platform)
        let (areas, grids) = DemoGeography.build(scale: scale, seed: seed)
        progress("grids", 0, grids.count)
        // Stored first, so the context reload of the area import indexes them too.
        try await platform.store.replacePlaces(DemoPlaces.make(areas: areas))
        try await admin.importAreas(areas, grids: grids)
        progress("grids", grids.count, grids.count)
        let streets = areas.filter { $0.level == .street }
        let departments = DemoOrganization.departments + streets.map(DemoOrganization.streetOffice)
        try await admin.saveDepartments(departments)
        let rules = DemoOrganization.rules(streets: streets)
        try await admin.replaceRules(rules)
        let users = DemoOrganization.users(streets: streets, districts: areas.filter { $0.level == .district })
        let hash = platform.passwords.hash(password)
        for u in users { try await platform.store.saveUser(u, passwordHash: hash) }

        // History ends at the start of the current hour, so the same seed gives the same cases all hour long.
        let now = Date(timeIntervalSince1970: (platform.clock.now().timeIntervalSince1970 / 3600).rounded(.down) * 3600)
        // Components, devices, the fleet and the cameras are stored while the case history is generated: no case
        // refers to them, and the history's first chunks would otherwise wait for them with a core idle.
        let registered = Task { () async throws -> (components: Int, devices: Int, vehicles: Int, cameras: [Camera]) in
            let components = makeComponents(seed: seed, count: scale.components, grids: grids, platform: platform, now: now)
                + makePublicFacilities(seed: seed, count: scale.components / 50, grids: grids, platform: platform, now: now)
            for start in stride(from: 0, to: components.count, by: 10_000) {
                try await platform.store.saveComponents(Array(components[start..<min(start + 10_000, components.count)]))
                progress("components", min(start + 10_000, components.count), components.count)
            }

            // Registered now: a device that never reports is offline from its registration on.
            let devices = DemoDevices.make(seed: seed, count: scale.devices, grids: grids, components: components, now: platform.clock.now())
            for start in stride(from: 0, to: devices.count, by: 1000) {
                try await platform.store.saveDevices(Array(devices[start..<min(start + 1000, devices.count)]))
            }

            let fleet = DemoFleet.make(seed: seed, count: scale.vehicles, grids: grids, now: platform.clock.now())
            try await platform.store.saveSites(fleet.sites)
            try await platform.store.saveDrivers(fleet.drivers)
            try await platform.store.saveVehicles(fleet.vehicles)
            try await platform.store.savePermits(fleet.permits)
            let cameras = DemoCameras.make(seed: seed, count: scale.cameras, grids: grids)
            try await platform.store.saveCameras(cameras)
            return (components.count, devices.count, fleet.vehicles.count, cameras)
        }

        let history = DemoHistory(seed: seed, scale: scale, grids: grids, policy: platform.context.policy, now: now)
        var sequences: [String: Int] = [:]
        var events = 0
        let chunk = 20_000
        let store = platform.store
        @Sendable func build(_ range: Range<Int>, _ numbers: ArraySlice<String>) -> (cases: any PreparedCases, events: Int) {
            let cases = history.generate(range, numbers: numbers)
            return (store.prepare(cases), cases.reduce(0) { $0 + $1.1.count })
        }
        // Chunks are generated and encoded on two cores while the writer stores the chunks before them. Each
        // write waits for the previous one, so rows keep creation order; at most two wait, bounding memory.
        do {
            try await store.withBulkLoad {
                var writes: [Task<Void, any Error>] = []
                for start in stride(from: 0, to: scale.cases, by: chunk) {
                    let range = start..<min(start + chunk, scale.cases)
                    let numbers = history.numbers(range, sequences: &sequences)
                    let mid = range.lowerBound + range.count / 2
                    async let head = build(range.lowerBound..<mid, numbers[0..<(mid - range.lowerBound)])
                    let tail = build(mid..<range.upperBound, numbers[(mid - range.lowerBound)...])
                    let parts = [await head, tail]
                    events += parts.reduce(0) { $0 + $1.events }
                    if writes.count >= 2 { try await writes.removeFirst().value }
                    let previous = writes.last
                    writes.append(Task {
                        try await previous?.value
                        for part in parts { try await store.load(part.cases) }
                        progress("cases", range.upperBound, scale.cases)
                    })
                }
                for write in writes { try await write.value }
            }
        } catch {
            registered.cancel()
            _ = try? await registered.value
            throw error
        }
        let reference = try await registered.value
        // The review queue's morning: candidates waiting for an operator.
        try await DemoCameras.detect(into: platform, cameras: reference.cameras, now: platform.clock.now())
        let summary = Summary(
            seed: seed, areas: areas.count, grids: grids.count, departments: departments.count, rules: rules.count, users: users.count,
            components: reference.components, cases: scale.cases, events: events, devices: reference.devices, vehicles: reference.vehicles,
            cameras: reference.cameras.count)
        let enc = JSONEncoder()
        enc.outputFormatting = .sortedKeys
        try await platform.store.saveSetting(CityContext.SettingKey.demo, String(decoding: try enc.encode(summary), as: UTF8.self))
        return summary
    }

    /// Component classes placed in the demo, with weights.
    static let componentClasses: [(String, Double)] = [
        ("01001", 8), ("01002", 8), ("01003", 8), ("01004", 6), ("01005", 4), ("01006", 5), ("01007", 4), ("01011", 3),
        ("01013", 3), ("02001", 2), ("02004", 3), ("03001", 2), ("03002", 6), ("04001", 2), ("04002", 6),
    ]

    static func makeComponents(seed: UInt64, count: Int, grids: [UnitGrid], platform: Platform, now: Date) -> [Component] {
        let ctx = platform.context
        let classes = componentClasses.filter { ctx.catalog.component($0.0) != nil }
        var rng = DemoRandom(seed: seed, stream: 3)
        var sequence: [String: Int] = [:]
        var out: [Component] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let grid = grids[Int(rng.next() % UInt64(grids.count))]
            let cls = rng.weighted(classes)
            let key = grid.districtCode + cls
            let seq = (sequence[key] ?? 0) + 1
            sequence[key] = seq
            let owner: DepartmentID? =
                if case .department(let d, _, _) = ctx.policy.responsibilities.route(
                    matter: cls, gridCode: grid.code, urgency: .normal, calendar: ctx.policy.calendar)
                { d } else { nil }
            let state: ComponentState = rng.unit() < 0.03 ? .damaged : .intact
            out.append(
                Component(
                    id: key + String(zeroPadded: seq, width: 6), classCode: cls, name: ctx.catalog.component(cls)?.name ?? cls,
                    point: DemoHistory.randomPoint(in: grid.boundary, &rng), gridCode: grid.code, ownerDepartmentID: owner,
                    maintainerDepartmentID: owner, state: state, surveyedAt: now.addingTimeInterval(-86400 * 200), changedAt: now))
        }
        return out
    }

    /// Public facilities for the public city map (城管地图), named the way residents know them (…街道 3 号公厕):
    /// toilets, pocket parks, garbage rooms, kiosks, rest pavilions, bicycle hire points and charging posts. Drawn
    /// from a random stream of their own, so the other components stay what they were.
    static let publicFacilities: [(code: String, label: String, weight: Double)] = [
        ("03001", "公厕", 5), ("04013", "游园", 2), ("03004", "垃圾收集点", 4), ("01040", "报刊亭", 2), ("01052", "休息亭", 1),
        ("02026", "自行车租赁点", 2), ("01054", "充电站", 1),
    ]

    static func makePublicFacilities(seed: UInt64, count: Int, grids: [UnitGrid], platform: Platform, now: Date) -> [Component] {
        let ctx = platform.context
        let kinds = publicFacilities.filter { ctx.catalog.component($0.code) != nil }
        guard !kinds.isEmpty else { return [] }
        var rng = DemoRandom(seed: seed, stream: 8)
        var sequence: [String: Int] = [:]
        var numberInStreet: [String: Int] = [:]
        return (0..<count).map { _ in
            let grid = grids[Int(rng.next() % UInt64(grids.count))]
            let kind = rng.weighted(kinds.map { ($0, $0.weight) })
            // IDs continue after the ordinary components' sequence range (900000+), so they never collide.
            let key = grid.districtCode + kind.code
            let seq = (sequence[key] ?? 900_000) + 1
            sequence[key] = seq
            let streetCode = String(grid.code.prefix(9))
            let street = ctx.map.areas[streetCode]?.name ?? streetCode
            let n = (numberInStreet[streetCode + kind.code] ?? 0) + 1
            numberInStreet[streetCode + kind.code] = n
            return Component(
                id: key + String(zeroPadded: seq, width: 6), classCode: kind.code, name: "\(street)\(n)号\(kind.label)",
                point: DemoHistory.randomPoint(in: grid.boundary, &rng), gridCode: grid.code, ownerDepartmentID: nil, maintainerDepartmentID: nil,
                state: .intact, surveyedAt: now.addingTimeInterval(-86400 * 200), changedAt: now)
        }
    }
}
