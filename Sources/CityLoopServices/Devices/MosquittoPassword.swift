import Crypto
import Foundation

/// A password as Mosquitto's password file keeps it (`mosquitto_passwd`'s `$7$` form: PBKDF2-HMAC-SHA512, 101
/// rounds, a 12-byte salt, the 64-byte key, both in Base64). CityLoop writes the file from the devices' credentials
/// (`DeviceRegistry.mosquittoFiles`), so that the broker checks each device's MQTT password. swift-crypto on this
/// machine has HMAC but no PBKDF2: the derivation below is RFC 8018's, one block long, tested against a line
/// `mosquitto_passwd` wrote.
public enum MosquittoPassword {
    /// The rounds `mosquitto_passwd` uses.
    public static let rounds = 101

    /// The `$7$…` form of `password` with `salt` (12 random bytes when not given).
    public static func hash(_ password: String, salt: [UInt8]? = nil, rounds: Int = rounds) -> String {
        let salt = salt ?? (0..<12).map { _ in UInt8.random(in: 0...255) }
        return "$7$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(pbkdf2(Array(password.utf8), salt: salt, rounds: rounds)).base64EncodedString())"
    }

    /// PBKDF2-HMAC-SHA512's first (and only needed) block: U1 = HMAC(P, S ‖ 1), Ui = HMAC(P, Ui−1), T = U1 ⊕ … ⊕ Uc.
    static func pbkdf2(_ password: [UInt8], salt: [UInt8], rounds: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var u = Array(HMAC<SHA512>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var t = u
        for _ in 1..<max(1, rounds) {
            u = Array(HMAC<SHA512>.authenticationCode(for: u, using: key))
            for i in t.indices { t[i] ^= u[i] }
        }
        return t
    }
}
