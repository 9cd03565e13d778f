import CityLoopDomain
import Foundation
import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the authenticated actor, if any.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user or partner system; nil for anonymous requests.
    public var actor: Actor?
    /// A device's token (`dk_…`), for the readings it posts; checked by the readings route.
    public var deviceToken: String?
    /// The peer of the connection (a proxy's address when behind one).
    public let remoteAddress: SocketAddress?

    /// Creates a context for a request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        actor = nil
        deviceToken = nil
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's address: the connection's peer, or the last `X-Forwarded-For` entry when the peer is one of
    /// the `trustedProxies`.
    public func clientAddress(_ request: Request, trustedProxies: Set<String>) -> String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        guard trustedProxies.contains(peer), let forwarded = request.headers[values: .xForwardedFor].last else { return peer }
        let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return last.isEmpty ? peer : String(last.prefix(64))
    }

    /// Uploads and bodies larger than this are refused (media has its own limit below it).
    public var maxUploadSize: Int { 16 * 1024 * 1024 }

    /// The actor, or a 401 when the request is anonymous.
    public func requireActor() throws -> Actor {
        guard let actor else {
            throw DomainError(.unauthenticated, code: "auth.required", "sign in first: send Authorization: Bearer <token>")
        }
        return actor
    }

    /// The actor when their role is one of `roles`; 401 or 403 otherwise.
    public func requireRole(_ roles: Role...) throws -> Actor { try requireRole(roles) }

    /// The actor when their role is one of `roles`; 401 or 403 otherwise.
    public func requireRole(_ roles: [Role]) throws -> Actor {
        let a = try requireActor()
        guard roles.contains(a.role) else {
            throw DomainError.forbidden("role \(a.role.rawValue) may not do this; allowed: \(roles.map(\.rawValue).joined(separator: ", "))")
        }
        return a
    }
}
