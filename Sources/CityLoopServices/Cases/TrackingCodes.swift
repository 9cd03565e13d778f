import CityLoopDomain
import Crypto
import Foundation

/// Tracking codes (查询码) for reporters, including anonymous ones: the case number and a keyed signature of it,
/// `E0601020261124000017-5d1f0c9a2b7e4f13`. Nothing is stored per code; a code is valid when its signature
/// matches under the platform's secret, so numbers cannot be guessed into codes.
public struct TrackingCodes: Sendable {
    let key: SymmetricKey

    /// Codes signed with `secret` (hex).
    public init(secret: String) { key = SymmetricKey(data: Data(secret.utf8)) }

    /// The setting holding the secret; created at first start.
    public static let settingKey = "tracking.secret"

    /// A new random secret.
    public static func newSecret() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(zeroPadded: Int(truncatingIfNeeded: rng.next() >> 1), width: 16, radix: 16) }.joined()
    }

    /// The code for a case number.
    public func code(for number: String) -> String { number + "-" + signature(number) }

    /// The case number a code stands for, or nil when the code is not one of ours.
    public func number(in code: String) -> String? {
        guard let dash = code.lastIndex(of: "-") else { return nil }
        let number = String(code[..<dash])
        return signature(number) == code[code.index(after: dash)...] ? number : nil
    }

    private func signature(_ number: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(number.utf8), using: key)
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: mac.prefix(8).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}
