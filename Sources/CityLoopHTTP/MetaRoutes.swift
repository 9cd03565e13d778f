import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// What operators and load balancers ask every node, whatever its role: `/health` (the process answers),
/// `/ready` (the database answers, its migrations are current; this node's role) and `/metrics` (Prometheus).
struct MetaRoutes: Sendable {
    let platform: Platform
    let role: NodeRole

    /// The answer of `/ready`.
    struct Readiness: Codable {
        var status: String
        var role: NodeRole
        var database: String
        var migrationsApplied: Int?
        var migrationsPending: [String]?
        /// The read replica, when configured: `ok` or why it is not used (the node serves from the primary meanwhile).
        var replica: String?
        /// How far the replica's replay is behind the primary's writes, in bytes of write history.
        var replicaLagBytes: UInt64?
        /// The once-per-city tasks this node runs and whether it leads each (absent on a node without background work).
        var leads: [String: Bool]?
    }

    func register(on api: APIBuilder) {
        let (platform, role) = (self.platform, self.role)
        api.add(.get, "/health", "Liveness: the process answers", tag: "meta", access: "public") { _, _ in
            try APIJSON.response(["status": "ok"])
        }
        api.add(.get, "/ready", "Readiness (503 until ready): the database answers and its migrations are current; this node's role",
                tag: "meta", access: "public") { _, _ in
            let r = await Self.readiness(platform, role: role)
            return try APIJSON.response(r, status: r.status == "ready" ? .ok : .serviceUnavailable)
        }
        api.router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: await NodeMetrics.render(platform: platform))))
        }
    }

    static func readiness(_ platform: Platform, role: NodeRole) async -> Readiness {
        var r = await databaseReadiness(platform, role: role)
        let tasks = platform.leadership.tasks
        r.leads = tasks.isEmpty ? nil : tasks
        // A replica that does not answer leaves the node ready: its reads go to the primary.
        if r.database == "ok", platform.reads.hasReplica {
            do {
                r.replicaLagBytes = try await platform.reads.replicaLag()
                r.replica = "ok"
            } catch {
                r.replica = "unreachable: \(error)"
            }
        }
        return r
    }

    static func databaseReadiness(_ platform: Platform, role: NodeRole) async -> Readiness {
        do {
            guard let m = try await NodeStatusService(platform: platform).migrationStatus() else {
                return Readiness(status: "ready", role: role, database: "ok")
            }
            return Readiness(
                status: m.pending.isEmpty ? "ready" : "migrating", role: role, database: "ok", migrationsApplied: m.applied.count,
                migrationsPending: m.pending)
        } catch {
            return Readiness(status: "unavailable", role: role, database: "\(error)")
        }
    }

    static let metricsOperation = APIOperation(
        method: .get, path: "/metrics", summary: "This node's metrics in Prometheus text format", tag: "meta", access: "public", query: [], body: nil)
}
