import ArgumentParser
import CityLoopDomain
import CityLoopServices
import Foundation

/// Where the ledger's key and checkpoints live, and where checkpoints go (configuration keys `ledger.*`).
struct LedgerOptions: Sendable {
    /// The Ed25519 key file; default `<data folder>.ledger-key` beside the data folder (outside it).
    var keyPath: String?
    /// The checkpoint log; default `<data folder>.checkpoints.jsonl` beside the key.
    var checkpointsPath: String?
    /// A partner's witness URL receiving each checkpoint.
    var witness: URL?
    /// Seconds between scheduled checkpoints of `serve`.
    var intervalSeconds = 3600

    /// Reads `ledger.key`, `ledger.checkpoints`, `ledger.witness` and `ledger.interval` through `value`.
    static func read(_ value: (String) -> String?) throws -> LedgerOptions {
        var o = LedgerOptions()
        o.keyPath = value("ledger.key")
        o.checkpointsPath = value("ledger.checkpoints")
        if let text = value("ledger.witness") {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw SettingsError(key: "ledger.witness", message: "'\(text)' is not an http(s) URL")
            }
            o.witness = url
        }
        if let text = value("ledger.interval") {
            guard let s = Int(text), s >= 1 else { throw SettingsError(key: "ledger.interval", message: "'\(text)' is not a positive number of seconds") }
            o.intervalSeconds = s
        }
        return o
    }

    /// The key file for a data folder.
    func key(data: URL) -> String {
        keyPath ?? data.deletingLastPathComponent().appendingPathComponent(data.lastPathComponent + ".ledger-key").path
    }

    /// The checkpoint log for a data folder.
    func checkpoints(data: URL) -> String {
        checkpointsPath ?? ((key(data: data) as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent(data.lastPathComponent + ".checkpoints.jsonl")
    }
}

extension Settings {
    /// The ledger service over the platform: the key loaded or created (0600), the checkpoint log and witness.
    func ledgerService(platform: Platform) throws -> LedgerService {
        let key = try LedgerKey.loadOrCreate(path: ledger.key(data: dataFolder))
        return LedgerService(platform: platform, key: key, log: CheckpointLog(path: ledger.checkpoints(data: dataFolder)), witness: ledger.witness)
    }
}

/// `cityloop ledger`: the city ledger's signed checkpoints.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "The city ledger's signed checkpoints (总账检查点).",
        subcommands: [Checkpoint.self, PublicKey.self])

    /// `cityloop ledger checkpoint`: sign the ledger's head now.
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint", abstract: "Sign the ledger's head now and append it to the checkpoint log (and the witness).")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let settings = try await options.settings()
            let m = settings.messages
            let (platform, _) = try await settings.openPlatform()
            let service = try settings.ledgerService(platform: platform)
            let (c, failure) = try await service.checkpoint()
            print(m.t("检查点 \(c.seq) \(c.headHash) 已写入 \(service.log.path)", "checkpoint \(c.seq) \(c.headHash) written to \(service.log.path)"))
            if let failure { print(m.t("见证方未收到: \(failure)", "witness did not take it: \(failure)")) }
        }
    }

    /// `cityloop ledger public-key`: the key a partner checks checkpoints with.
    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "public-key", abstract: "Print the ledger key's public half (base64 Ed25519), creating the key when absent.")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let settings = try await options.settings()
            print(try LedgerKey.loadOrCreate(path: settings.ledger.key(data: settings.dataFolder)).publicKey)
        }
    }
}
