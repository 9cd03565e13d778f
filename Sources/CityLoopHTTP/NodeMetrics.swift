import CityLoopDomain
import CityLoopServices
import Foundation
import Metrics
import Prometheus

/// This node's metrics, for `GET /metrics` in Prometheus text format. swift-metrics is bootstrapped once per
/// process (the process is the node) with a Prometheus registry: Hummingbird's `MetricsMiddleware` counts and
/// times requests by route, the case service counts intake by channel, and gauges read at each scrape tell the
/// outbox's depth and age, the live feed's subscribers and which once-per-city tasks this node leads.
public enum NodeMetrics {
    /// The process's registry; bootstraps swift-metrics on first use.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Prometheus names allow letters, digits, _ and : only; libraries use dots (http.server.request.duration).
        factory.nameAndLabelSanitizer = { name, labels in (sanitize(name), labels.map { (sanitize($0.0), $0.1) }) }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    static func sanitize(_ name: String) -> String {
        String(name.unicodeScalars.map { s -> Character in
            (("0"..."9").contains(s) || ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_" || s == ":") ? Character(s) : "_"
        })
    }

    /// The metrics text after reading the scrape-time gauges from the platform.
    static func render(platform: Platform) async -> [UInt8] {
        if let backlog = try? await NodeStatusService(platform: platform).outboxBacklog() {
            registry.makeGauge(name: "cityloop_outbox_waiting", help: "Notices waiting for delivery (due now or later)").set(Double(backlog.waiting))
            registry.makeGauge(name: "cityloop_outbox_oldest_due_seconds", help: "How long the longest-waiting notice has been due")
                .set(backlog.oldestDueSeconds)
        }
        for (task, leads) in platform.leadership.tasks {
            registry.makeGauge(name: "cityloop_leader", labels: [("task", task)], help: "Whether this node leads the once-per-city task (1) or not (0)")
                .set(leads ? 1.0 : 0.0)
        }
        if let pool = platform.store as? any ConnectionPoolUse {
            let use = pool.poolUse
            registry.makeGauge(name: "cityloop_db_connections_in_use", help: "Pooled database connections working for a request").set(Double(use.inUse))
            registry.makeGauge(name: "cityloop_db_connections_waiting", help: "Requests waiting for a pooled database connection").set(Double(use.waiting))
            registry.makeGauge(name: "cityloop_db_connections_max", help: "The most connections this node's pool opens").set(Double(use.limit))
        }
        registry.makeGauge(name: "cityloop_live_subscribers", help: "Open live-feed (SSE) streams on this node").set(Double(platform.live.subscriberCount))
        return registry.emitToBuffer()
    }
}
