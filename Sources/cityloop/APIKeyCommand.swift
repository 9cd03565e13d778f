import ArgumentParser
import CityLoopDomain
import CityLoopServices
import Foundation

/// `cityloop apikey`: API keys of partner systems (Open311 clients, the 12345 hotline, IoT gateways) (接口密钥).
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Create, list and revoke partners' API keys (接口密钥).",
        discussion: "A key works as an Open311 api_key and as an Authorization: Bearer token. A running server notices a revoked key within 30 s.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key for an account; the key is printed once.")
        @OptionGroup var options: DataOptions
        @Argument(help: "Username of the account the key acts for (usually a partner account).") var username: String
        @Option(help: "A label, e.g. the partner's name; default the username.") var label: String?
        @Option(help: "Requests per minute; default the server's open311.rate.") var rate: Int?

        func run() async throws {
            let settings = try await options.settings()
            let m = settings.messages
            let (platform, store) = try await settings.openPlatform()
            guard let (user, _) = try await store.user(username: username) else {
                throw ValidationError(m.t("没有名为 \(username) 的账号", "no account named \(username)"))
            }
            let key = try await AccountService(platform: platform).createAPIToken(userID: user.id, label: label ?? username, ratePerMinute: rate)
            print(key)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (label, account, rate, created, hash prefix; never the key).")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let settings = try await options.settings()
            let m = settings.messages
            let (_, store) = try await settings.openPlatform()
            let keys = try await store.apiTokens()
            if keys.isEmpty { print(m.t("（没有接口密钥）", "(no API keys)")) }
            let f = ISO8601DateFormatter()
            for k in keys {
                let user = try await store.user(id: k.userID)?.username ?? k.userID.rawValue
                let rate = k.ratePerMinute.map { "\($0)/min" } ?? m.t("默认 \(settings.open311.defaultRatePerMinute)/min", "default \(settings.open311.defaultRatePerMinute)/min")
                print("\(k.hash.prefix(12))  \(k.label)  \(m.t("账号", "account")) \(user)  \(rate)  \(f.string(from: k.createdAt))")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke keys by label, or one key by its hash prefix from `list` (8+ characters).")
        @OptionGroup var options: DataOptions
        @Argument(help: "A label or a hash prefix.") var key: String

        func run() async throws {
            let settings = try await options.settings()
            let m = settings.messages
            let (platform, _) = try await settings.openPlatform()
            let n = try await AccountService(platform: platform).revokeAPITokens(matching: key)
            guard n > 0 else { throw ValidationError(m.t("没有匹配 \(key) 的接口密钥", "no API key matches \(key)")) }
            print(m.t("已吊销 \(n) 个接口密钥", "revoked \(n) API key(s)"))
        }
    }
}
