import AsyncHTTPClient
import CityLoopDomain
import Foundation

/// Takes signed checkpoints of the city ledger's head: appends them to the checkpoint log and, when a witness
/// is configured, POSTs them to it (a failed post is retried with the next checkpoint, never blocking).
public final class LedgerService: Sendable {
    let platform: Platform
    /// The signing key.
    public let key: LedgerKey
    /// The checkpoint log.
    public let log: CheckpointLog
    /// The partner's witness URL, when configured.
    public let witness: URL?
    private let unsent = LockedBox<[LedgerCheckpoint]>([])
    private let lastHead = LockedBox<LedgerHead?>(nil)

    /// Creates the service; its checkpoints are the ones `CaseService.verifyHistory()` checks from now on.
    public init(platform: Platform, key: LedgerKey, log: CheckpointLog, witness: URL? = nil) {
        self.platform = platform
        self.key = key
        self.log = log
        self.witness = witness
        platform.useCheckpoints(log, publicKey: key.publicKey)
    }

    /// Signs the ledger's current head and appends it to the log; then offers it (and earlier unsent ones) to the
    /// witness. Returns the checkpoint and the witness's failure, if any.
    @discardableResult
    public func checkpoint() async throws -> (checkpoint: LedgerCheckpoint, witnessError: String?) {
        let status = try await platform.store.ledgerStatus()
        let c = try key.sign(LedgerCheckpoint(
            seq: status.head.seq, headHash: status.head.hash, cases: status.cases, events: status.events, at: platform.clock.now(),
            publicKey: key.publicKey))
        try log.append(c)
        lastHead.value = status.head
        guard let witness else { return (c, nil) }
        let batch = unsent.withValue { $0.append(c); return $0 }
        do {
            try await post(batch, to: witness)
            unsent.withValue { $0.removeFirst(min(batch.count, $0.count)) }
            return (c, nil)
        } catch {
            return (c, "\(error)")
        }
    }

    /// Takes a checkpoint unless the ledger's head is the one last checkpointed by this process.
    public func checkpointIfMoved(report: @Sendable (String) -> Void) async {
        do {
            let head = try await platform.store.ledgerStatus().head
            if head == lastHead.value, unsent.value.isEmpty { return }
            let (c, failure) = try await checkpoint()
            report("ledger checkpoint \(c.seq) \(c.headHash)" + (failure.map { "; witness failed, retried next time: \($0)" } ?? ""))
        } catch {
            report("ledger checkpoint failed: \(error)")
        }
    }

    private func post(_ checkpoints: [LedgerCheckpoint], to url: URL) async throws {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(Array(try CheckpointLog.encoder.encode(checkpoints)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else { throw WebhookNotifier.Failure(status: Int(response.status.code)) }
    }
}
