import Foundation

/// A signed statement of the ledger's head at a time (检查点): "the ledger held `seq` entries ending in
/// `headHash`, for `cases` cases and `events` events". Kept in an append-only log beside the signing key, outside
/// the database, and optionally sent to a partner (witness); from then on no entry up to `seq` can change
/// without `cityloop verify` noticing, even for someone who rewrites the whole database.
public struct LedgerCheckpoint: Hashable, Codable, Sendable {
    /// The ledger's last sequence number.
    public var seq: Int64
    /// The hash of the entry at `seq`.
    public var headHash: String
    /// Cases stored at the time.
    public var cases: Int
    /// Events stored at the time (equal to `seq` when every event is in the ledger).
    public var events: Int
    /// When the checkpoint was taken.
    public var at: Date
    /// The signer's Ed25519 public key, base64 of the 32 raw bytes.
    public var publicKey: String
    /// The Ed25519 signature of `signedBytes`, base64.
    public var signature: String

    /// Creates a checkpoint; `signature` is set by the signer.
    public init(seq: Int64, headHash: String, cases: Int, events: Int, at: Date, publicKey: String, signature: String = "") {
        self.seq = seq
        self.headHash = headHash
        self.cases = cases
        self.events = events
        self.at = Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded() / 1000)
        self.publicKey = publicKey
        self.signature = signature
    }

    /// The exact bytes signed: `cityloop-ledger-checkpoint|1|seq|headHash|cases|events|at in ms|publicKey`.
    public var signedBytes: [UInt8] {
        let ms = Int64((at.timeIntervalSince1970 * 1000).rounded())
        return Array("cityloop-ledger-checkpoint|1|\(seq)|\(headHash)|\(cases)|\(events)|\(ms)|\(publicKey)".utf8)
    }
}
