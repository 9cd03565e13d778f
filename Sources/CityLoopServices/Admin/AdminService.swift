import CityLoopDomain
import Foundation

/// Configuration of the city: areas and grids, departments, the responsibility list, the calendar, the
/// catalog's local extensions and components. Every change is validated whole before anything is stored.
public struct AdminService: Sendable {
    let platform: Platform

    /// Creates the service.
    public init(platform: Platform) { self.platform = platform }

    /// Validates and stores a new area hierarchy and grid set, all or nothing; throws with the errors when any
    /// is found (warnings, such as slivers or districts without grids yet, do not stop it). A file of grids alone
    /// goes into the stored hierarchy; a file of areas alone keeps no grids (districts can come before their grids).
    @discardableResult
    public func importAreas(_ areas: [Area], grids: [UnitGrid], options: GridValidator.Options = .init()) async throws -> Int {
        let areas = areas.isEmpty ? Array(platform.context.map.areas.values) : areas
        let errors = GridValidator.validate(areas: areas, grids: grids, options: options).filter(\.isError)
        guard errors.isEmpty else {
            let shown = errors.prefix(20).map { "\($0.subject): \($0.message)" }.joined(separator: "; ")
            throw DomainError(.invalidInput, code: "grids.invalid", "\(errors.count) problems: \(shown)", field: "features")
        }
        try await platform.store.replaceAreas(areas, grids: grids)
        try await platform.reloadContext()
        return grids.count
    }

    /// Every department, as stored.
    public func departments() async throws -> [Department] { try await platform.store.departments() }

    /// Adds or replaces departments.
    public func saveDepartments(_ departments: [Department]) async throws {
        for d in departments {
            guard d.id.rawValue.range(of: "^[a-z0-9_-]{2,64}$", options: .regularExpression) != nil else {
                throw DomainError.invalid("id", "department id '\(d.id)' must be 2–64 lowercase letters, digits, _ or -")
            }
            guard !d.name.isEmpty else { throw DomainError.invalid("name", "department \(d.id) has no name") }
        }
        try await platform.store.saveDepartments(departments)
        try await platform.reloadContext()
    }

    /// Replaces the responsibility list after checking it for conflicts, unknown departments and classes.
    public func replaceRules(_ rules: [ResponsibilityRule]) async throws {
        let ctx = platform.context
        _ = try ResponsibilityList(rules: rules, knownDepartments: Set(ctx.departments.keys), catalog: ctx.catalog)
        try await platform.store.replaceRules(rules)
        try await platform.reloadContext()
    }

    /// Replaces the working calendar.
    public func saveCalendar(_ calendar: WorkingCalendar) async throws {
        if let p = calendar.problems().first { throw DomainError.invalid("calendar", p) }
        try await saveSetting(CityContext.SettingKey.calendar, calendar)
    }

    /// Replaces the step limits.
    public func saveStepLimits(_ limits: StepLimits) async throws {
        let all = [limits.verify, limits.file, limits.dispatch, limits.accept, limits.sendCheck, limits.check, limits.close]
        guard all.allSatisfy({ $0 > 0 }), limits.dueSoonMinutes >= 0 else {
            throw DomainError.invalid("stepLimits", "every step limit must be a positive number of working minutes")
        }
        try await saveSetting(CityContext.SettingKey.stepLimits, limits)
    }

    /// Replaces the duplicate policy.
    public func saveDuplicatePolicy(_ policy: DuplicatePolicy) async throws {
        guard policy.radiusMetres > 0, policy.windowHours > 0 else {
            throw DomainError.invalid("duplicatePolicy", "radiusMetres and windowHours must be positive")
        }
        try await saveSetting(CityContext.SettingKey.duplicatePolicy, policy)
    }

    /// Replaces the recurrence policy; 422 naming the field when out of range.
    public func saveRecurrencePolicy(_ policy: RecurrencePolicy) async throws {
        if let p = policy.problems().first { throw DomainError.invalid(p.field, p.message) }
        try await saveSetting(CityContext.SettingKey.recurrencePolicy, policy)
    }

    /// Replaces the alarm-to-case policies (告警转案件策略); in force on every node at once. 422 naming the field.
    public func saveAlarmPolicies(_ policies: [AlarmCasePolicy]) async throws {
        let catalog = platform.context.catalog
        if let p = AlarmCasePolicy.problems(policies, isMatter: { catalog.matter($0) != nil }).first {
            throw DomainError.invalid(p.field, p.message)
        }
        try await saveSetting(CityContext.SettingKey.alarmPolicies, policies)
    }

    /// Replaces a device type's alarm rules (告警规则), or gives it back its built-in ones when `rules` is nil; in
    /// force on every node from their next batch. 404 for an unknown type, 422 naming the field. An alarm up of a
    /// type no rule raises any more stays up until someone clears it by hand.
    public func saveDeviceRules(profileID: String, _ rules: [AlarmRule]?) async throws -> DeviceProfile {
        guard let builtIn = DeviceProfile.builtIn.first(where: { $0.id == profileID }) else { throw DomainError.notFound("device profile", profileID) }
        if let rules, let p = builtIn.problems(rules: rules).first { throw DomainError.invalid(p.field, p.message) }
        try await saveSetting(CityContext.SettingKey.deviceRules(profileID), rules)
        return platform.context.deviceProfiles[profileID] ?? builtIn
    }

    /// Replaces the automation flags.
    public func saveWorkflowFlags(_ flags: WorkflowFlags) async throws {
        try await saveSetting(CityContext.SettingKey.workflowFlags, flags)
    }

    private func saveSetting(_ key: String, _ value: some Encodable) async throws {
        let enc = JSONEncoder()
        enc.outputFormatting = .sortedKeys
        try await platform.store.saveSetting(key, String(decoding: try enc.encode(value), as: UTF8.self))
        try await platform.reloadContext()
    }

    /// Adds local catalog extensions (a national code may not be reused).
    public func addCatalogExtensions(_ entries: [CatalogEntry]) async throws {
        let extended = try platform.context.catalog.adding(entries)
        try await platform.store.saveCatalogExtensions(entries.compactMap { extended.matter($0.code) ?? extended.component($0.code) }
            .filter(\.isLocal))
        try await platform.reloadContext()
    }

    /// Imports components after checking each (class, ID, location); returns the rejected rows and stores the rest.
    public func importComponents(_ rows: [ComponentRow], at now: Date) async throws -> ImportReport {
        let ctx = platform.context
        var accepted: [Component] = []
        var rejected: [ImportReport.Rejection] = []
        var seen = Set<String>()
        for (i, row) in rows.enumerated() {
            var problems: [String] = []
            guard let cls = ctx.catalog.component(row.classCode) else {
                rejected.append(.init(row: i + 1, id: row.id, problems: ["component class '\(row.classCode)' is not in the catalog"]))
                continue
            }
            problems += Component.idProblems(row.id, classCode: row.classCode)
            let p = GeoPoint(lat: row.lat, lon: row.lon)
            let placement = ctx.map.place(p)
            if placement == nil { problems.append("location (\(row.lat), \(row.lon)) is outside the city's grids") }
            if let placement, !row.id.hasPrefix(placement.districtCode), problems.isEmpty {
                problems.append("id starts with \(row.id.prefix(6)) but the location is in district \(placement.districtCode)")
            }
            for d in [row.ownerDepartmentID, row.maintainerDepartmentID].compactMap({ $0 }) where ctx.departments[d] == nil {
                problems.append("department '\(d)' does not exist")
            }
            if !seen.insert(row.id).inserted { problems.append("id \(row.id) appears twice in the import") }
            guard problems.isEmpty, let placement else {
                rejected.append(.init(row: i + 1, id: row.id, problems: problems))
                continue
            }
            accepted.append(
                Component(
                    id: row.id, classCode: cls.code, name: row.name ?? cls.name, point: p, gridCode: placement.gridCode,
                    ownerDepartmentID: row.ownerDepartmentID, maintainerDepartmentID: row.maintainerDepartmentID,
                    state: row.state ?? .intact, surveyedAt: now, changedAt: now, remark: row.remark))
        }
        for chunk in stride(from: 0, to: accepted.count, by: 5000) {
            try await platform.store.saveComponents(Array(accepted[chunk..<min(chunk + 5000, accepted.count)]))
        }
        return ImportReport(accepted: accepted.count, rejected: rejected)
    }
}

/// A component as imported from CSV or GeoJSON.
public struct ComponentRow: Codable, Sendable {
    /// 17-digit ID.
    public var id: String
    /// Class code.
    public var classCode: String
    /// Name; the class name when absent.
    public var name: String?
    /// Latitude.
    public var lat: Double
    /// Longitude.
    public var lon: Double
    /// State; intact when absent.
    public var state: ComponentState?
    /// Owner department.
    public var ownerDepartmentID: DepartmentID?
    /// Maintaining department.
    public var maintainerDepartmentID: DepartmentID?
    /// Remark.
    public var remark: String?

    /// Creates a row.
    public init(
        id: String, classCode: String, name: String? = nil, lat: Double, lon: Double, state: ComponentState? = nil,
        ownerDepartmentID: DepartmentID? = nil, maintainerDepartmentID: DepartmentID? = nil, remark: String? = nil
    ) {
        self.id = id
        self.classCode = classCode
        self.name = name
        self.lat = lat
        self.lon = lon
        self.state = state
        self.ownerDepartmentID = ownerDepartmentID
        self.maintainerDepartmentID = maintainerDepartmentID
        self.remark = remark
    }
}

/// What an import accepted and rejected.
public struct ImportReport: Codable, Sendable {
    /// One rejected row and why.
    public struct Rejection: Codable, Sendable {
        /// 1-based row number in the input.
        public var row: Int
        /// The row's ID.
        public var id: String
        /// What is wrong.
        public var problems: [String]
    }
    /// Rows stored.
    public var accepted: Int
    /// Rows refused.
    public var rejected: [Rejection]
}
