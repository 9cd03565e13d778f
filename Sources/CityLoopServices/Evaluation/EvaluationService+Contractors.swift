import CityLoopDomain
import Foundation

extension EvaluationService {
    /// The setting holding the contractors' credit formula as JSON.
    public static let contractorSchemeKey = "evaluation.contractorCredit"

    /// The credit formula in force: the saved one, or the default.
    public func contractorScheme() async throws -> ContractorCreditScheme {
        guard let text = try await platform.store.setting(Self.contractorSchemeKey) else { return ContractorCreditScheme() }
        return try JSONDecoder().decode(ContractorCreditScheme.self, from: Data(text.utf8))
    }

    /// Saves a credit formula after checking it; 422 naming the first wrong field, nothing saved.
    public func saveContractorScheme(_ scheme: ContractorCreditScheme) async throws {
        if let p = scheme.problems().first { throw DomainError.invalid(p.field, p.message, code: "evaluation.contractor_scheme") }
        let enc = JSONEncoder()
        enc.outputFormatting = .sortedKeys
        try await platform.store.saveSetting(Self.contractorSchemeKey, String(decoding: try enc.encode(scheme), as: UTF8.self))
    }

    /// The contractors' credit ranking for a period (清运企业信用评价), and the previous period's scores by contractor.
    public func contractorCredit(period: EvaluationPeriod) async throws -> (rows: [ContractorCreditRow], previous: [String: Double]) {
        let contractors = platform.context.departments.values.filter(\.contractor).map {
            EvaluationSubjectInfo(subject: EvaluationSubject(kind: .department, id: $0.id.rawValue), name: $0.name, nameEn: $0.nameEn)
        }
        let scheme = try await contractorScheme()
        async let now = platform.reads.store().evaluationCounts(days: period.days, kinds: [.department])
        async let before = platform.reads.store().evaluationCounts(days: period.previous.days, kinds: [.department])
        let companies = try await vehicleCompanies()
        let rows = ContractorCreditRow.ranking(
            contractors, counts: try await now, scheme: scheme, vehicleEvents: try await vehicleEvents(in: period, companies: companies))
        let previous = ContractorCreditRow.ranking(
            contractors, counts: try await before, scheme: scheme, vehicleEvents: try await vehicleEvents(in: period.previous, companies: companies))
        return (rows, Dictionary(uniqueKeysWithValues: previous.map { ($0.info.subject.id, $0.score) }))
    }

    /// The company (contractor department) of each vehicle that has one.
    func vehicleCompanies() async throws -> [VehicleID: String] {
        var out: [VehicleID: String] = [:]
        var after: VehicleID?
        while true {
            let page = try await platform.store.vehicles(after: after, limit: 5000)
            for v in page { if let c = v.companyID { out[v.id] = c.rawValue } }
            guard page.count == 5000, let last = page.last else { return out }
            after = last.id
        }
    }

    /// The events of each company's vehicles in a period, by kind.
    func vehicleEvents(in period: EvaluationPeriod, companies: [VehicleID: String]) async throws -> [String: [VehicleEvent.Kind: Int]] {
        guard !companies.isEmpty else { return [:] }
        var out: [String: [VehicleEvent.Kind: Int]] = [:]
        let counts = try await platform.store.vehicleEventCounts(from: period.start(ofDay: period.firstDay), to: period.start(ofDay: period.lastDay + 1))
        for c in counts { if let company = companies[c.vehicleID] { out[company, default: [:]][c.kind, default: 0] += c.count } }
        return out
    }

    /// The events behind a contractor's vehicle deductions in a period (newest first, at most `limit`), with the vehicle.
    public func contractorVehicleEvents(_ contractor: DepartmentID, period: EvaluationPeriod, limit: Int) async throws -> [StoredVehicleEvent] {
        let scheme = try await contractorScheme()
        let kinds = Set(scheme.vehicleTerms.map(\.kind))
        let vehicles = Set(try await vehicleCompanies().filter { $0.value == contractor.rawValue }.keys)
        let from = period.start(ofDay: period.firstDay), to = period.start(ofDay: period.lastDay + 1)
        var out: [StoredVehicleEvent] = []
        for id in vehicles.sorted() {
            var before: Int64?
            // A vehicle's events newest stored first, a page at a time (a terminal's late upload stores old events
            // after newer ones, so the walk goes on past events older than the period), at most 20 pages a vehicle.
            for _ in 0..<20 {
                let page = try await platform.store.vehicleEvents(vehicleID: id, before: before, limit: 500)
                for e in page where e.event.time >= from && e.event.time < to && kinds.contains(e.event.kind) { out.append(e) }
                guard page.count == 500, let last = page.last else { break }
                before = last.seq
            }
        }
        return Array(out.sorted { $0.event.time > $1.event.time }.prefix(limit))
    }
}
