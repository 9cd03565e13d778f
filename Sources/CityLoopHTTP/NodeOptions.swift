/// What this node does (`cityloop serve --role`): with several nodes on one database, a deployment can run the
/// background work (notice delivery, checkpoints, early-warning scans) apart from the API.
public enum NodeRole: String, Sendable, CaseIterable, Codable {
    /// The API and the console, no background work.
    case web
    /// The background work, and only `/health`, `/ready` and `/metrics` over HTTP.
    case worker
    /// Both (one node, the default).
    case all

    /// Whether this node serves the API and the console.
    public var servesAPI: Bool { self != .worker }
    /// Whether this node runs the background services.
    public var runsBackground: Bool { self != .web }
}
