import CityLoopDomain
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which partner callback and webhook URLs the platform will call: http(s) only, and never an address inside the
/// platform's own networks (loopback, private, link-local, CGNAT, multicast, reserved, and IPv4-mapped IPv6 of
/// those) — unless an administrator allow-lists the host (config `callbacks.allowHosts`). A name is resolved once
/// at delivery, every address it resolves to is checked, and the connection goes to the checked address.
public struct CallbackAddressPolicy: Sendable, Hashable {
    /// Hosts (names or literal addresses, lowercase) called without the address checks.
    public var allowHosts: Set<String>

    /// Creates a policy.
    public init(allowHosts: Set<String> = []) { self.allowHosts = Set(allowHosts.map { $0.lowercased() }) }

    /// The URL when the platform may call it; 422 naming `field` otherwise. Literal addresses in every notation
    /// (`0x7f.1`, `2130706433`, `[::ffff:127.0.0.1]`) are checked here; names are checked when delivering.
    @discardableResult
    public func check(_ text: String, field: String = "callbackURL") throws -> URL {
        guard text.count <= 500, let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = Self.host(of: url), !host.isEmpty
        else {
            throw DomainError.invalid(field, "\(field) must be an http(s) URL of at most 500 characters")
        }
        guard url.user == nil, url.password == nil else { throw DomainError.invalid(field, "\(field) must not carry a user name or password") }
        if allowHosts.contains(host) { return url }
        if host == "localhost" || host.hasSuffix(".localhost") || (Self.literal(host).map { !Self.isPublic($0) } ?? false) {
            throw DomainError.invalid(
                field, "\(field) points into a private, loopback or reserved network; an administrator can allow the host (callbacks.allowHosts)")
        }
        return url
    }

    /// Where to connect for `url`: nil when the host is allow-listed (connect as usual), otherwise the one checked
    /// address to connect to; throws `Refused` when the name does not resolve or any of its addresses is not public.
    public func address(for url: URL) throws -> String? {
        guard let host = Self.host(of: url) else { throw Refused(reason: "no host") }
        if allowHosts.contains(host) { return nil }
        let addresses = try Self.literal(host).map { [$0] } ?? Self.resolve(host)
        guard let first = addresses.first else { throw Refused(reason: "\(host) does not resolve") }
        if let bad = addresses.first(where: { !Self.isPublic($0) }) {
            throw Refused(reason: "\(host) resolves to \(Self.text(bad)), which is not a public address")
        }
        return Self.text(first)
    }

    /// A delivery refused before connecting.
    public struct Refused: Error, CustomStringConvertible {
        /// Why (for the server log only).
        public var reason: String
        /// The reason.
        public var description: String { "callback address refused: \(reason)" }
    }

    /// The URL's host, lowercase, without IPv6 brackets.
    static func host(of url: URL) -> String? {
        url.host.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }
    }

    /// The address bytes (4 or 16) of a literal host in any notation `inet_aton` accepts, or IPv6; nil for names.
    static func literal(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_aton(host, &v4) != 0 { return withUnsafeBytes(of: v4.s_addr) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }

    /// Whether an address is on the public internet.
    static func isPublic(_ a: [UInt8]) -> Bool {
        if a.count == 4 {
            let (b0, b1, b2) = (a[0], a[1], a[2])
            switch b0 {
            case 0, 10, 127: return false
            case 100 where b1 & 0xC0 == 64: return false  // CGNAT 100.64/10
            case 169 where b1 == 254: return false
            case 172 where b1 & 0xF0 == 16: return false
            case 192 where b1 == 168 || (b1 == 0 && (b2 == 0 || b2 == 2)): return false
            case 198 where b1 & 0xFE == 18 || (b1 == 51 && b2 == 100): return false
            case 203 where b1 == 0 && b2 == 113: return false
            case 224...255: return false  // multicast, reserved, broadcast
            default: return true
            }
        }
        guard a.count == 16 else { return false }
        if a[0..<10].allSatisfy({ $0 == 0 }) && ((a[10] == 0xFF && a[11] == 0xFF) || (a[10] == 0 && a[11] == 0)) {
            return isPublic(Array(a[12..<16]))  // IPv4-mapped, IPv4-compatible, ::, ::1
        }
        if a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B { return isPublic(Array(a[12..<16])) }  // NAT64
        if a[0] & 0xFE == 0xFC { return false }  // ULA fc00::/7
        if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return false }  // link-local fe80::/10
        if a[0] == 0xFF { return false }  // multicast
        if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8 { return false }  // documentation
        return true
    }

    static func text(_ a: [UInt8]) -> String {
        if a.count == 4 { return a.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: a) }
        inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // getaddrinfo: every address of the name, IPv4 and IPv6.
    static func resolve(_ host: String) throws -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { throw Refused(reason: "\(host) does not resolve") }
        defer { freeaddrinfo(list) }
        var out: [[UInt8]] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let n = node {
            if let sa = n.pointee.ai_addr {
                if n.pointee.ai_family == AF_INET {
                    sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in out.append(withUnsafeBytes(of: p.pointee.sin_addr.s_addr) { Array($0) }) }
                } else if n.pointee.ai_family == AF_INET6 {
                    sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in out.append(withUnsafeBytes(of: p.pointee.sin6_addr) { Array($0) }) }
                }
            }
            node = n.pointee.ai_next
        }
        return out
    }
}
