import ArgumentParser
import AsyncHTTPClient
import CityLoopDemo
import CityLoopDomain
import CityLoopHTTP
import CityLoopServices
import Foundation
import Logging
import NIOCore

/// `bench open311`: Open311 beside the core API over the same HTTP client (writes and reads), then mixed intake —
/// Open311 multipart posts with a photo, hotline JSON work orders and inspector reports together.
extension BenchCommand {
    func open311Bench() async throws {
        let (folder, store, platform) = try await Self.scratchPlatform()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await DemoCity.install(into: platform, scale: .standard, password: "bench-password")
        guard let (partner, _) = try await store.user(username: "partner") else { throw ValidationError("no partner account") }
        let key = try await AccountService(platform: platform).createAPIToken(userID: partner.id, label: "bench", ratePerMinute: 1_000_000)
        let (base, server) = try await Self.startServer(platform)
        defer { server.cancel() }

        let writes = max(300, reports / 5), reads = max(300, reports / 15)
        let inputs = try await reportInputs(count: writes * 3)
        // The demo inspector patrols district 410102: their reports lie in its grids.
        let inspectorInputs = try await reportInputs(count: writes, area: "410102", seed: 311)
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        do {
            let operatorToken = try await login(client, base, "operator")
            let partnerToken = try await login(client, base, "partner")
            let inspectorToken = try await login(client, base, "inspector")
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601

            @Sendable func send(_ path: String, get: Bool = false, token: String? = nil, type: String? = nil, body: [UInt8]? = nil) async throws -> UInt {
                var req = HTTPClientRequest(url: base + path)
                req.method = get ? .GET : .POST
                if let token { req.headers.add(name: "Authorization", value: "Bearer \(token)") }
                if let type { req.headers.add(name: "Content-Type", value: type) }
                if let body { req.body = .bytes(ByteBuffer(bytes: body)) }
                let res = try await client.execute(req, timeout: .seconds(60))
                _ = try await res.body.collect(upTo: 1 << 24)
                return UInt(res.status.code)
            }

            // Writes: the same reports as core JSON and as Open311 forms.
            let coreBodies = try inputs.prefix(writes).map { Array(try encoder.encode($0)) }
            let core = try await timed(loader: "core", count: writes) { i in
                try await send("/api/v1/cases", token: operatorToken, type: "application/json", body: coreBodies[i]) == 201
            }
            let formBodies = inputs[writes..<writes * 2].map { Array(Self.form(Self.open311Fields($0, key: key)).utf8) }
            let open311 = try await timed(loader: "open311", count: writes) { i in
                try await send("/open311/v2/requests.json", type: "application/x-www-form-urlencoded", body: formBodies[i]) == 201
            }
            // Reads: a page of 50 of the newest cases, both ways.
            let coreReads = try await timed(loader: "core", count: reads) { _ in
                try await send("/api/v1/cases?limit=50", get: true, token: operatorToken) == 200
            }
            let open311Reads = try await timed(loader: "open311", count: reads) { _ in
                try await send("/open311/v2/requests.json?page_size=50", get: true) == 200
            }

            // Mixed intake: a third each of Open311 multipart with a photo, hotline orders and inspector reports.
            let mixedInputs = Array(inputs[writes * 2..<writes * 3])
            let boundary = "----cityloop-bench"
            let mixedBodies: [(path: String, token: String?, type: String, body: [UInt8])] = try mixedInputs.enumerated().map { i, input in
                switch i % 3 {
                case 0:
                    return ("/open311/v2/requests.json", nil, "multipart/form-data; boundary=\(boundary)",
                            Self.multipart(Self.open311Fields(input, key: key), photo: Self.photo(i), boundary: boundary))
                case 1:
                    let order = HotlineOrder(
                        ticketNumber: "BENCH-\(i)", matterCode: input.matterCode, description: "热线工单 \(i)", lat: input.lat, lon: input.lon,
                        callerName: "市民", callerPhone: "13800000000", deadline: Date().addingTimeInterval(86400 * 3))
                    return ("/api/v1/hotline/orders", partnerToken, "application/json", Array(try encoder.encode(order)))
                default:
                    let p = inspectorInputs[i]
                    let report = ReportInput(
                        clientRequestID: "bench-inspector-\(i)", matterCode: p.matterCode, description: "巡查上报 \(i)", lat: p.lat, lon: p.lon)
                    return ("/api/v1/cases", inspectorToken, "application/json", Array(try encoder.encode(report)))
                }
            }
            let before = try await store.caseCount()
            let kindLatencies = KindLatencies()
            let mixed = try await timed(loader: "mixed", count: mixedBodies.count) { i in
                let b = mixedBodies[i]
                let t0 = DispatchTime.now().uptimeNanoseconds
                let ok = try await send(b.path, token: b.token, type: b.type, body: b.body) == 201
                kindLatencies.add(i % 3, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                return ok
            }
            let stored = try await store.caseCount() - before
            try await client.shutdown()

            print("== Open311 beside the core API: \(clients) clients, in-process HTTP client, SQLite, demo city ==")
            row("POST requests/s (form)", String(format: "%.0f", open311.rate), String(format: "core POST /cases %.0f/s", core.rate),
                String(format: "%.2fx of core", open311.rate / core.rate))
            row("POST p50 / p99 (ms)", String(format: "%.1f / %.1f", open311.p50, open311.p99),
                String(format: "core %.1f / %.1f", core.p50, core.p99), String(format: "p99 %.2fx of core", open311.p99 / core.p99))
            row("GET requests (50)/s", String(format: "%.0f", open311Reads.rate), String(format: "core GET /cases %.0f/s", coreReads.rate),
                String(format: "%.2fx of core", open311Reads.rate / coreReads.rate))
            row("GET p50 / p99 (ms)", String(format: "%.1f / %.1f", open311Reads.p50, open311Reads.p99),
                String(format: "core %.1f / %.1f", coreReads.p50, coreReads.p99), String(format: "p99 %.2fx of core", open311Reads.p99 / coreReads.p99))
            print("== mixed intake: Open311 multipart with an 8 KB photo, hotline JSON orders, inspector reports (a third each) ==")
            row("reports/s", String(format: "%.0f", mixed.rate), String(format: "core JSON alone %.0f/s", core.rate),
                String(format: "%.2fx of core", mixed.rate / core.rate))
            row("p50 / p99 (ms)", String(format: "%.1f / %.1f", mixed.p50, mixed.p99), String(format: "core %.1f / %.1f", core.p50, core.p99), "")
            for (kind, name) in ["Open311 + photo", "hotline order", "inspector report"].enumerated() {
                let (p50, p99) = kindLatencies.percentiles(kind)
                row("  \(name) p50 / p99 (ms)", String(format: "%.1f / %.1f", p50, p99), "", "")
            }
            row("acknowledged / stored", "\(mixed.created) / \(stored)", "", mixed.created == stored ? "every acknowledged report stored" : "MISMATCH")
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func open311Fields(_ input: ReportInput, key: String) -> [(String, String)] {
        [("api_key", key), ("service_code", input.matterCode), ("lat", String(input.lat)), ("long", String(input.lon)),
         ("description", "市民反映：\(input.description)"), ("email", "citizen@example.cn"), ("first_name", "李")]
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    static func multipart(_ fields: [(String, String)], photo: [UInt8], boundary: String) -> [UInt8] {
        var body: [UInt8] = []
        for (k, v) in fields { body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8) }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"media\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
        body += photo
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return body
    }

    /// An 8 KB JPEG stream, different for every `i` (a comment segment carries it), so each is stored anew.
    static func photo(_ i: Int) -> [UInt8] {
        let comment = Array("bench photo \(i) ".utf8) + [UInt8](repeating: 0x5A, count: 8000)
        let length = comment.count + 2
        return [0xFF, 0xD8, 0xFF, 0xFE, UInt8(length >> 8), UInt8(length & 0xFF)] + comment + [0xFF, 0xD9]
    }
}

/// Latencies of the mixed benchmark by kind of report.
final class KindLatencies: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: [Double]] = [:]
    func add(_ kind: Int, _ ms: Double) { lock.withLock { values[kind, default: []].append(ms) } }
    func percentiles(_ kind: Int) -> (Double, Double) {
        let v = lock.withLock { (values[kind] ?? []).sorted() }
        guard !v.isEmpty else { return (0, 0) }
        return (v[v.count / 2], v[min(v.count - 1, Int(Double(v.count) * 0.99))])
    }
}
