import CityLoopDomain
import Crypto
import Foundation
import HummingbirdBcrypt

/// Password hashing with bcrypt, and random tokens.
public struct Passwords: Sendable {
    /// The bcrypt cost (work factor); 10 is about 60 ms here. Tests may lower it.
    public var cost: UInt8

    /// Creates a hasher with a cost.
    public init(cost: UInt8 = 10) { self.cost = cost }

    /// A bcrypt hash of the password.
    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    /// Whether the password matches the hash.
    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// The shortest acceptable password.
    public static let minimumLength = 10

    /// Problems with a new password for the account `username`, empty when acceptable: at least 10 characters,
    /// not one of the common passwords (弱口令), not the user name forwards or backwards.
    public static func problems(_ password: String, username: String? = nil) -> [String] {
        var problems: [String] = []
        let lower = password.lowercased()
        if password.count < minimumLength {
            problems.append("password must have at least \(minimumLength) characters (密码至少 \(minimumLength) 个字符)")
        }
        if CommonPasswords.list.contains(lower) {
            problems.append("password is one of the most common passwords; choose another (密码过于常见，请换一个)")
        }
        if let name = username?.lowercased(), !name.isEmpty, lower == name || lower == String(name.reversed()) {
            problems.append("password must not be the user name (密码不能与用户名相同)")
        }
        return problems
    }

    /// A random URL-safe token of 32 bytes.
    public static func randomToken() -> String {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A random readable password of 12 characters.
    public static func randomPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let key = SymmetricKey(size: .bits128)
        return key.withUnsafeBytes { raw in String(raw.prefix(12).map { alphabet[Int($0) % alphabet.count] }) }
    }
}
