import ArgumentParser
import CityLoopDemo
import CityLoopDomain
import CityLoopHTTP
import CityLoopJT808
import CityLoopMQTT
import CityLoopServices
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `cityloop serve`: the HTTP server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Start the HTTP API server (启动服务).",
        discussion: "GET /health answers 200 when ready; GET /openapi.json describes the API.")

    @OptionGroup var options: DataOptions

    @Option(help: "Address to listen on (env CITYLOOP_HOST; config key host; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (env CITYLOOP_PORT; config key port; default 8080).")
    var port: Int?

    @Flag(help: "Install the demo city on first start, and set the demo accounts' password on every start.")
    var demo = false

    @Option(
        name: .customLong("demo-password"),
        help: "Password of the demo accounts (env CITYLOOP_DEMO_PASSWORD; config key demo.password; random and printed when absent).")
    var demoPassword: String?

    @Option(help: "Demo size as a number of cases (e.g. 1000000); grids and components grow with it.")
    var scale: Int?

    @Option(help: "Seed of the demo city.")
    var seed: UInt64 = DemoCity.defaultSeed

    @Option(help: "Serve the web console's pages from this folder instead of the built-in copy (env CITYLOOP_WEB; config key web).")
    var web: String?

    @Option(help: "What this node does: web (the API and console), worker (background work; only /health, /ready, /metrics) or all (default; env CITYLOOP_ROLE; config key role).")
    var role: String?

    @Option(
        name: .customLong("read-database"),
        help: "A streaming replica of the PostgreSQL database for the evaluation, analytics, report and screen queries (env CITYLOOP_READ_DATABASE; config key read.database).")
    var readDatabase: String?

    @Option(help: "The MQTT broker devices publish their readings to, mqtt://host:port (env CITYLOOP_MQTT_URL; config key mqtt.url).")
    var mqtt: String?

    @Option(name: .customLong("jt808-port"), help: "Listen for JT/T 808 vehicle terminals on this TCP port of --host (env CITYLOOP_JT808_PORT; config key jt808.port).")
    var jt808Port: Int?

    func run() async throws {
        let settings = try await options.settings([
            "host": host, "port": port.map(String.init), "demo.password": demoPassword, "web": web, "role": role, "read.database": readDatabase,
            "mqtt.url": mqtt, "jt808.port": jt808Port.map(String.init),
        ])
        let m = settings.messages
        let host = settings.host
        var logger = Logger(label: "cityloop")
        logger.logLevel = settings.logLevel
        let (platform, _) = try await settings.openPlatform()
        logger.info("\(m.t("数据库", "database")): \(settings.database)")
        if let replica = settings.readDatabase { logger.info("\(m.t("只读副本", "read replica")): \(replica)") }
        if demo {
            let password = settings.demoPassword ?? Passwords.randomPassword()
            try await DemoSetup.ensure(platform: platform, password: password, scale: scale, seed: seed, messages: m)
            if settings.demoPassword == nil {
                print(m.t("演示账号密码（随机生成）: \(password)", "demo account password (random): \(password)"))
            }
        }
        let log = logger
        let path = settings.database.description
        let app = buildApplication(platform: platform, host: host, port: settings.port, logger: logger, open311: settings.open311, console: settings.console,
            frontDoor: settings.frontDoor, role: settings.role
        ) { actualPort in
            log.info("\(m.t("CityLoop 已启动", "CityLoop is listening")): http://\(host):\(actualPort)  (\(m.t("数据", "data")): \(path))")
        }
        // Background work as services beside the server. At a graceful shutdown the group stops them in reverse
        // order: the server drains its requests first, the ledger's last checkpoint comes after everything else.
        let ledger = try settings.ledgerService(platform: platform)
        let forecasts = ForecastService(platform: platform)
        let background = [
            // Signed checkpoints of the city ledger: on the schedule, and once more after the last request.
            // Once per city: the node that leads the task runs it (on SQLite, this node).
            PeriodicService("ledger checkpoints", every: .seconds(settings.ledger.intervalSeconds), ledBy: platform.leadership, atShutdown: {
                await ledger.checkpointIfMoved { log.info("\($0)") }
            }) { await ledger.checkpointIfMoved { log.info("\($0)") } },
            // Notices to reporters still queued from earlier runs, and retries of failed ones. On every node that runs
            // background work: each claims due notices with a lease, so none is sent twice and the work is shared.
            PeriodicService("notice delivery", every: .seconds(2)) { _ = await platform.notices.deliverDue() },
            // Early warning: a scan a minute after start (not competing with a fresh start's work) and then every
            // hour raises the alerts of the last complete day.
            PeriodicService("early-warning scan", initialDelay: .seconds(60), every: .seconds(3600), ledBy: platform.leadership) {
                do {
                    let raised = try await forecasts.scan()
                    if !raised.isEmpty { log.info("\(m.t("新预警", "new early warnings")): \(raised.count)") }
                } catch {
                    log.error("\(m.t("预警扫描失败", "early-warning scan failed")): \(error)")
                }
            },
            // Devices silent for their interval × the factor are raised offline, and alarms still owed a case get
            // it; every 5 s, by the leading node.
            PeriodicService("device offline scan", initialDelay: .seconds(5), every: .seconds(5), ledBy: platform.leadership) {
                do {
                    let raised = try await platform.deviceIngest.scanOffline(factor: settings.offlineFactor)
                    if !raised.isEmpty { log.info("\(m.t("设备离线", "devices offline")): \(raised.count)") }
                    // Alarms whose case was not made when they rose (a crash between the two) get it now.
                    let failed = try await AlarmCases(platform: platform).sweep()
                    if let first = failed.first {
                        log.warning("\(m.t("告警未能转为案件", "alarms without their case")): \(failed.count) (\(first.alarm): \(first.error))")
                    }
                } catch {
                    log.error("\(m.t("离线扫描失败", "offline scan failed")): \(error)")
                }
            },
            // Raw readings past their days become hourly buckets; vehicle tracks past theirs keep a position a minute.
            PeriodicService("reading retention", initialDelay: .seconds(300), every: .seconds(3600), ledBy: platform.leadership) {
                do {
                    let removed = try await platform.deviceIngest.compact(rawDays: settings.rawReadingDays)
                    if removed > 0 { log.info("\(m.t("读数已降采样", "readings compacted")): \(removed)") }
                    let thinned = try await PositionRetention(store: platform.store, clock: platform.clock).run(rawDays: settings.rawPositionDays)
                    if thinned > 0 { log.info("\(m.t("车辆轨迹已抽稀", "vehicle tracks downsampled")): \(thinned)") }
                } catch {
                    log.error("\(m.t("读数降采样失败", "reading retention failed")): \(error)")
                }
            },
            // Vehicles silent past their time are offline (once per silence); sanitation shifts that are over are measured;
            // yesterday's events go to their companies as notices; events whose case could not be made get it.
            PeriodicService("vehicle offline scan", initialDelay: .seconds(30), every: .seconds(30), ledBy: platform.leadership) {
                // Each on its own: one failing leaves the others running.
                do { _ = try await platform.vehicleIngest.sweepOffline() } catch {
                    log.error("\(m.t("车辆离线扫描失败", "vehicle offline scan failed")): \(error)")
                }
                do { _ = try await RouteCoverageSweep(store: platform.store, clock: platform.clock).run() } catch {
                    log.error("\(m.t("作业覆盖率核查失败", "route coverage sweep failed")): \(error)")
                }
                do { _ = try await CompanyNotices(platform: platform).sweep() } catch {
                    log.error("\(m.t("整改通知发送失败", "company notices failed")): \(error)")
                }
                do {
                    let failed = try await VehicleEventCases(platform: platform).sweep().failed
                    if let first = failed.first {
                        log.warning("\(m.t("车辆事件未能转为案件", "vehicle events without their case")): \(failed.count) (\(first.event.code): \(first.error))")
                    }
                } catch {
                    log.error("\(m.t("车辆事件转案件失败", "vehicle event cases failed")): \(error)")
                }
            },
            // Checks by camera whose window has passed get their verdict on the case.
            PeriodicService("camera re-check sweep", initialDelay: .seconds(30), every: .seconds(30), ledBy: platform.leadership) {
                do {
                    try await CameraRechecks(platform: platform).sweep()
                } catch {
                    log.error("\(m.t("视频核查扫描失败", "camera re-check sweep failed")): \(error)")
                }
            },
        ] + (settings.mqtt.map { [MQTTReadingsSubscriber(platform: platform, options: $0, logger: log)] as [any Service] } ?? [])
        if let mqtt = settings.mqtt { logger.info("MQTT: \(mqtt.url) \(DeviceTopics(city: mqtt.city).filters.joined(separator: " "))") }
        // Terminals connect to every node that listens (a load balancer in front spreads them).
        let terminals: [any Service] = settings.jt808Port.map {
            [JT808Server(
                platform: platform, host: host, port: $0, authenticationTimeout: .seconds(Int64(settings.jt808AuthSeconds)),
                idleTimeout: .seconds(Int64(settings.jt808IdleSeconds)), logger: log)]
        } ?? []
        // The leadership service comes before the led services: at shutdown it resigns after they have finished.
        // Vehicles that moved go to the consoles connected here, every 2 s while any is (each node for its own).
        let fleetFeed = FleetFeed(platform: platform)
        let feeds: [any Service] = [
            PeriodicService("fleet feed", every: .seconds(2)) {
                do { try await fleetFeed.tick() } catch { log.warning("\(m.t("车辆实时推送失败", "fleet feed failed")): \(error)") }
            }
        ]
        let services: [any Service] = [ChangeRelayService(platform: platform)]
            + (settings.role.runsBackground ? [LeadershipService(leadership: platform.leadership)] + background : []) + terminals + feeds + [app]
        logger.info("\(m.t("节点角色", "node role")): \(settings.role.rawValue)")
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        // The terminals are gone: the trackers moved since they were last written are stored, so a restart resumes exactly.
        _ = try? await platform.vehicleIngest.flush()
        // The server has drained: what this node claimed and did not deliver goes back to the others now.
        let released = await platform.notices.stop()
        if released > 0 { logger.info("\(m.t("已交还未发通知", "released undelivered notices")): \(released)") }
    }
}

/// Installs the demo when absent and sets the demo accounts' password.
enum DemoSetup {
    static let roleAccounts = ["inspector", "operator", "shiftlead", "dispatcher", "handler", "leader", "admin", "citizen", "partner"]

    static func ensure(platform: Platform, password: String, scale: Int?, seed: UInt64, messages m: Messages) async throws {
        // The demo accounts include an administrator: a weak demo password is refused like any other.
        if let p = Passwords.problems(password).first {
            throw ValidationError(
                m.t(
                    "演示账号密码太弱（\(p)）：请用至少 \(Passwords.minimumLength) 个字符、不是常见密码的密码，例如 demo-pass-123",
                    "the demo password is too weak (\(p)): use at least \(Passwords.minimumLength) characters that are not a common password, e.g. demo-pass-123"))
        }
        if try await platform.store.setting(CityContext.SettingKey.demo) == nil {
            guard try await platform.store.grids().isEmpty else {
                throw ValidationError(m.t("数据目录已有非演示城市的数据，不能安装演示城市", "the data folder holds a city that is not the demo; not installing the demo"))
            }
            let started = Date()
            let summary = try await DemoCity.install(
                into: platform, seed: seed, scale: scale.map(DemoScale.forCases) ?? .standard, password: password
            ) { phase, done, total in progressLine("\(m.t("生成演示城市", "building demo city")) \(phase) \(done)/\(total)", done: done == total && phase == "cases") }
            print(m.t(
                "演示城市已生成：\(summary.grids) 个单元网格，\(summary.components) 个部件，\(summary.cases) 个案件，用时 \(Int(Date().timeIntervalSince(started))) 秒",
                "demo city ready: \(summary.grids) grids, \(summary.components) components, \(summary.cases) cases in \(Int(Date().timeIntervalSince(started))) s"))
        }
        let hash = platform.passwords.hash(password)
        for name in roleAccounts {
            if let (user, _) = try await platform.store.user(username: name) { try await platform.store.saveUser(user, passwordHash: hash) }
        }
        try await ensureDemoPartner(platform: platform, key: password)
    }

    /// The Open311 partner `demo-partner`, whose API key is the demo password, so an Open311 client can be pointed
    /// at the demo at once. Its earlier keys are revoked: the password may have changed.
    static func ensureDemoPartner(platform: Platform, key: String) async throws {
        let accounts = AccountService(platform: platform)
        let user: User
        if let (u, _) = try await platform.store.user(username: demoPartner) {
            user = u
        } else {
            user = User(id: UserID("u-\(demoPartner)"), username: demoPartner, displayName: "Open311 演示合作方 (demo partner)", role: .partner)
            try await accounts.saveUser(user, password: nil)
        }
        _ = try await accounts.revokeAPITokens(matching: demoPartner)
        _ = try await accounts.createAPIToken(userID: user.id, label: demoPartner, text: key)
    }

    /// The demo's Open311 partner account.
    static let demoPartner = "demo-partner"
}
