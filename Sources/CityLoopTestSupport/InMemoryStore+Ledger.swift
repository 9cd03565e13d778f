import CityLoopDomain
import CityLoopServices
import Foundation

extension InMemoryStore {
    /// Chains events onto the city ledger (called with every write of events).
    func appendLedger(_ events: [CaseEvent]) {
        let hasher = SHA256Hasher()
        for e in events { ledger.append(ledgerHead.append(e, hasher: hasher)) }
    }

    /// The ledger's head and the numbers of cases and events.
    public func ledgerStatus() async throws -> (head: LedgerHead, cases: Int, events: Int) {
        (ledgerHead, casesByID.count, eventsByCase.values.reduce(0) { $0 + $1.count })
    }

    /// Ledger entries after `after`.
    public func ledgerEntries(after: Int64, limit: Int) async throws -> [LedgerEntry] {
        Array(ledger.drop { $0.seq <= after }.prefix(limit))
    }

    /// Cases after position `after` in creation order, with their events and ledger entries.
    public func storedHistories(after: Int64, limit: Int) async throws -> (items: [StoredHistory], next: Int64?) {
        let start = Int(after)
        guard start < order.count else { return ([], nil) }
        let ids = order[start..<min(order.count, start + limit)]
        let wanted = Set(ids)
        var byCase: [CaseID: [LedgerEntry]] = [:]
        for l in ledger where wanted.contains(l.caseID) { byCase[l.caseID, default: []].append(l) }
        let items = ids.compactMap { id in
            casesByID[id].map { StoredHistory(record: $0, events: eventsByCase[id] ?? [], ledger: byCase[id] ?? []) }
        }
        let next = start + ids.count
        return (items, next < order.count ? Int64(next) : nil)
    }

    /// Ledger entries whose case or event is not stored.
    public func orphanLedgerEntries(limit: Int) async throws -> [OrphanLedgerEntry] {
        Array(
            ledger.compactMap { l -> OrphanLedgerEntry? in
                guard casesByID[l.caseID] != nil else { return OrphanLedgerEntry(seq: l.seq, caseID: l.caseID, eventSeq: l.eventSeq, caseMissing: true) }
                guard (eventsByCase[l.caseID] ?? []).contains(where: { $0.seq == l.eventSeq }) else {
                    return OrphanLedgerEntry(seq: l.seq, caseID: l.caseID, eventSeq: l.eventSeq, caseMissing: false)
                }
                return nil
            }.prefix(limit))
    }
}
