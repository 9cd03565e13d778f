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
        let rows = ContractorCreditRow.ranking(contractors, counts: try await now, scheme: scheme, vehicleEvents: try await vehicleEvents(in: period))
        let previous = ContractorCreditRow.ranking(
            contractors, counts: try await before, scheme: scheme, vehicleEvents: try await vehicleEvents(in: period.previous))
        return (rows, Dictionary(uniqueKeysWithValues: previous.map { ($0.info.subject.id, $0.score) }))
    }

    /// The events of each company's vehicles in a period, by kind: charged to the company a vehicle belonged to when it
    /// raised them.
    func vehicleEvents(in period: EvaluationPeriod) async throws -> [String: [VehicleEvent.Kind: Int]] {
        var out: [String: [VehicleEvent.Kind: Int]] = [:]
        let counts = try await platform.store.vehicleEventCounts(from: period.start(ofDay: period.firstDay), to: period.start(ofDay: period.lastDay + 1))
        for c in counts { out[c.companyID.rawValue, default: [:]][c.kind, default: 0] += c.count }
        return out
    }

    /// The events behind a contractor's vehicle deductions in a period (newest first, at most `limit`), with the vehicle.
    public func contractorVehicleEvents(_ contractor: DepartmentID, period: EvaluationPeriod, limit: Int) async throws -> [StoredVehicleEvent] {
        let scheme = try await contractorScheme()
        let kinds = Set(scheme.vehicleTerms.map(\.kind))
        let from = period.start(ofDay: period.firstDay), to = period.start(ofDay: period.lastDay + 1)
        return try await VehicleEventLog.events(platform.store, companyID: contractor, from: from, to: to, kinds: kinds, limit: limit)
    }
}
