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
        let rows = ContractorCreditRow.ranking(contractors, counts: try await now, scheme: scheme)
        let previous = ContractorCreditRow.ranking(contractors, counts: try await before, scheme: scheme)
        return (rows, Dictionary(uniqueKeysWithValues: previous.map { ($0.info.subject.id, $0.score) }))
    }
}
