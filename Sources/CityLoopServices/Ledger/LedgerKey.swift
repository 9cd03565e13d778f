import CityLoopDomain
import Crypto
import Foundation

/// The Ed25519 key that signs ledger checkpoints, kept in a file outside the database (base64 of the 32-byte
/// private key). Created with permissions 0600 when absent.
public struct LedgerKey: Sendable {
    /// The key.
    let privateKey: Curve25519.Signing.PrivateKey
    /// The key file.
    public let path: String

    /// Reads the key at `path`, creating it (0600) when the file does not exist.
    public static func loadOrCreate(path: String) throws -> LedgerKey {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let raw = Data(base64Encoded: text), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
                throw DomainError(.invalidInput, code: "ledger.key", "the ledger key file \(path) does not hold a base64 Ed25519 key")
            }
            return LedgerKey(privateKey: key, path: path)
        }
        let key = Curve25519.Signing.PrivateKey()
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard fm.createFile(atPath: path, contents: Data((key.rawRepresentation.base64EncodedString() + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw DomainError(.invalidInput, code: "ledger.key", "cannot create the ledger key file \(path)") }
        return LedgerKey(privateKey: key, path: path)
    }

    /// The public key, base64 of its 32 raw bytes: what a partner needs to check checkpoints.
    public var publicKey: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }

    /// Signs a checkpoint (setting its public key and signature).
    public func sign(_ checkpoint: LedgerCheckpoint) throws -> LedgerCheckpoint {
        var c = checkpoint
        c.publicKey = publicKey
        c.signature = try privateKey.signature(for: c.signedBytes).base64EncodedString()
        return c
    }

    /// Whether a checkpoint's signature is valid for the public key it names, and that key is `trusted`.
    public static func isValid(_ c: LedgerCheckpoint, trusted: String) -> Bool {
        guard c.publicKey == trusted, let raw = Data(base64Encoded: c.publicKey), let signature = Data(base64Encoded: c.signature),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { return false }
        return key.isValidSignature(signature, for: c.signedBytes)
    }
}
