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

    /// Problems with a new password, empty when acceptable.
    public static func problems(_ password: String) -> [String] {
        password.count < 8 ? ["password must have at least 8 characters"] : []
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
