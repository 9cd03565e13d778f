import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird

/// A reading refused, in a readings post's or file's answer: where it was (the entry's index or the file's line)
/// and why.
struct RefusedReading: Encodable {
    var index: Int?
    var line: Int?
    var device: String?
    var measurement: String?
    var reason: String
    var message: String

    /// An entry or line that could not be read.
    static func malformed(index: Int? = nil, line: Int? = nil, device: String?, field: String, message: String) -> RefusedReading {
        RefusedReading(index: index, line: line, device: device, measurement: nil, reason: "malformed", message: "\(field): \(message)")
    }

    /// The readings ingest refused (the unreadable ones are listed from the decoder's problems instead).
    static func refused(by result: IngestResult) -> [RefusedReading] {
        result.rejections.filter { $0.reason != .malformed }.map {
            RefusedReading(device: $0.deviceID, measurement: $0.measurement, reason: $0.reason.rawValue, message: $0.message)
        }
    }
}

/// What a readings post did.
struct ReadingsReply: Encodable {
    var accepted: Int
    var stored: Int
    var rejected: [RefusedReading]
}

/// What a readings file did (back-fill): counts, and the first lines and readings refused.
struct ReadingImportReply: Encodable {
    /// Readings read from the file and accepted.
    var accepted: Int
    /// Of them, new (a reading already kept is not stored twice).
    var stored: Int
    /// Readings and lines refused, by reason.
    var rejected: [String: Int]
    /// The first refused, with their lines where the file's reading failed.
    var examples: [RefusedReading]

    init(_ result: IngestResult, problems: [ReadingFile.Problem]) {
        accepted = result.accepted
        stored = result.stored
        let refused = RefusedReading.refused(by: result)
        var counts = Dictionary(grouping: refused, by: \.reason).mapValues(\.count)
        if !problems.isEmpty { counts["malformed"] = problems.count }
        rejected = counts
        examples = Array((problems.map { RefusedReading.malformed(line: $0.line, device: $0.device, field: $0.field, message: $0.message) } + refused)
            .prefix(ReadingImportReply.examples))
    }

    static let examples = 200
}

/// A device with what it last did: for the map and the device page.
struct DeviceReply: Encodable {
    var device: Device
    var lastSeen: Date?
    var activeAlarms: [Alarm]
    var rejections: [RejectionCount]
}

extension APIRoutes {
    func addDeviceRoutes(_ api: APIBuilder) {
        let registry = DeviceRegistry(platform: platform)
        let desk = AlarmDesk(platform: platform)
        let ingest = platform.deviceIngest
        let store = platform.store
        let staff: [Role] = [.operator, .shiftLead, .dispatcher, .leader, .admin, .inspector, .handler]

        api.add(.get, "/api/v1/device-profiles", "Device types (设备类型): measurements, units, valid ranges and alarm rules", tag: "devices") { _, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(registry.profiles)
        }
        api.add(.get, "/api/v1/device-profiles/:id", "A device type with the alarm rules in force", tag: "devices") { _, ctx in
            _ = try ctx.requireRole(staff)
            let id = try ctx.param("id")
            guard let profile = platform.context.deviceProfiles[id] else { throw DomainError.notFound("device profile", id) }
            return try APIJSON.response(profile)
        }
        api.add(.put, "/api/v1/device-profiles/:id/rules", "Replace a device type's alarm rules (告警规则: threshold with hysteresis, duration, "
                + "count, rate of change, state); in force on every node from their next batch", tag: "devices", access: "admin", body: "AlarmRules") { req, ctx in
            let actor = try ctx.requireRole(.admin)
            let rules = try await APIJSON.decode([AlarmRule].self, from: req, context: ctx)
            let profile = try await AdminService(platform: platform).saveDeviceRules(profileID: try ctx.param("id"), rules)
            ctx.logger.info("device rules", metadata: ["by": "\(actor.userID)", "profile": "\(profile.id)", "count": "\(rules.count)"])
            return try APIJSON.response(profile)
        }
        api.add(.delete, "/api/v1/device-profiles/:id/rules", "Give a device type back its built-in alarm rules", tag: "devices", access: "admin") { _, ctx in
            let actor = try ctx.requireRole(.admin)
            let profile = try await AdminService(platform: platform).saveDeviceRules(profileID: try ctx.param("id"), nil)
            ctx.logger.info("device rules reset", metadata: ["by": "\(actor.userID)", "profile": "\(profile.id)"])
            return try APIJSON.response(profile)
        }
        api.add(.get, "/api/v1/devices", "Registered devices in ID order, a page after `after`", tag: "devices", query: ["after", "limit"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(try await registry.devices(after: req.query("after"), limit: try req.queryInt("limit") ?? 500))
        }
        api.add(.post, "/api/v1/devices", "Register or replace a device (设备登记); its grid is found from its position", tag: "devices",
                access: "admin", body: "DeviceInput", created: true) { req, ctx in
            let actor = try ctx.requireRole(.admin)
            let input = try await APIJSON.decode(DeviceInput.self, from: req, context: ctx)
            let existed = try await store.device(id: input.id) != nil
            return try APIJSON.response(try await registry.register(input, actor: actor), status: existed ? .ok : .created)
        }
        api.add(.put, "/api/v1/devices", "Import devices from CSV (id,profile,lat,lon[,model,componentID,departmentID,reportingIntervalSeconds,attributes]) "
                + "or a GeoJSON FeatureCollection of points (in crs); bad lines are listed", tag: "devices", access: "admin",
                query: ["crs", "format"], body: "CSV or GeoJSON") { req, ctx in
            let actor = try ctx.requireRole(.admin)
            let buffer = try await APIJSON.collect(req, limit: 32 * 1024 * 1024)
            let crs = try CoordinateInput.crs(req)
            let type = req.headers[.contentType]?.lowercased() ?? ""
            let geojson = try req.queryEnum("format", DeviceFileFormat.self).map { $0 == .geojson } ?? (type.contains("json"))
            let result = geojson
                ? try await registry.importGeoJSON(Data(buffer.readableBytesView), crs: crs, actor: actor)
                : try await registry.importCSV(String(buffer: buffer), crs: crs, actor: actor)
            return try APIJSON.response(result)
        }
        api.add(.get, "/api/v1/devices/:id", "A device with its last report, alarms up and refused readings", tag: "devices") { _, ctx in
            _ = try ctx.requireRole(staff)
            let device = try await registry.device(id: try ctx.param("id"))
            let state = try await store.ingestState(deviceIDs: [device.id])
            return try APIJSON.response(
                DeviceReply(
                    device: device, lastSeen: state.lastSeen[device.id], activeAlarms: state.activeAlarms.values.sorted { $0.raisedAt > $1.raisedAt },
                    rejections: try await store.rejectionCounts(deviceID: device.id)))
        }
        api.add(.post, "/api/v1/devices/:id/credentials", "Issue the device a new token (its MQTT password too); shown once, the former one stops working",
                tag: "devices", access: "admin", created: true) { _, ctx in
            let actor = try ctx.requireRole(.admin)
            let id = try ctx.param("id")
            struct Credential: Encodable { var device: String; var token: String }
            return try APIJSON.response(Credential(device: id, token: try await registry.issueCredential(deviceID: id, actor: actor)), status: .created)
        }
        api.add(.get, "/api/v1/devices/:id/readings", "A device's readings of one measurement in [from, to), raw or in buckets "
                + "(bucket: raw, minute, hour, day or seconds) with min/max/mean", tag: "devices", query: ["measurement", "from", "to", "bucket", "limit"]) { req, ctx in
            _ = try ctx.requireRole(staff)
            let device = try await registry.device(id: try ctx.param("id"))
            guard let measurement = req.query("measurement") else { throw DomainError.invalid("measurement", "measurement is required") }
            guard registry.profiles.first(where: { $0.id == device.profileID })?.measurement(measurement) != nil else {
                throw DomainError.invalid("measurement", "a \(device.profileID) device has no measurement '\(measurement)'")
            }
            let to = try req.queryDate("to") ?? platform.clock.now()
            let from = try req.queryDate("from") ?? to.addingTimeInterval(-86400)
            guard from < to, to.timeIntervalSince(from) <= 400 * 86400 else { throw DomainError.invalid("from", "from must be before to, at most 400 days") }
            let bucket = req.query("bucket") ?? "raw"
            let seconds: Int? = switch bucket {
            case "raw": nil
            case "minute": 60
            case "hour": 3600
            case "day": 86400
            default: Int(bucket)
            }
            guard bucket == "raw" || (seconds.map { (1...31_536_000).contains($0) } ?? false) else {
                throw DomainError.invalid("bucket", "bucket is raw, minute, hour, day or a number of seconds")
            }
            if let seconds {
                guard to.timeIntervalSince(from) / Double(seconds) <= 20_000 else {
                    throw DomainError.invalid("bucket", "at most 20000 buckets: choose a larger bucket or a shorter range")
                }
                return try APIJSON.response(
                    try await store.readingBuckets(deviceID: device.id, measurement: measurement, from: from, to: to, seconds: seconds))
            }
            let limit = try req.queryInt("limit") ?? 10_000
            guard (1...100_000).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 100000") }
            struct Point: Encodable { var at: Date; var value: Double?; var state: String? }
            return try APIJSON.response(
                try await store.readings(deviceID: device.id, measurement: measurement, from: from, to: to, limit: limit).map { r in
                    var state: String?
                    if case .state(let s) = r.value { state = s }
                    return Point(at: r.at, value: r.value.number, state: state)
                })
        }
        api.add(.post, "/api/v1/readings", "Readings of devices (设备读数), up to 5000 entries: a device's token for its own, "
                + "a gateway's (partner) key for any; each refused reading is listed with its reason", tag: "devices",
                access: "device token, partner, admin", body: "ReadingsInput") { req, ctx in
            var device: String?
            if let token = ctx.deviceToken {
                device = try await registry.authenticate(credential: token)
            } else {
                _ = try ctx.requireRole(.partner, .admin, .system)
            }
            try APIJSON.requireJSON(req)
            let buffer = try await APIJSON.collect(req, limit: 8 * 1024 * 1024)
            let (raws, problems) = try ReadingPayload.decode(Data(buffer.readableBytesView), device: device)
            let refused = problems.compactMap { p in p.device.map { ReadingRejection(malformed: $0, "\(p.field): \(p.message)") } }
            let result = try await ingest.ingest(raws, refused: refused)
            let rejected = problems.map { RefusedReading.malformed(index: $0.index, device: $0.device, field: $0.field, message: $0.message) }
                + RefusedReading.refused(by: result)
            return try APIJSON.response(ReadingsReply(accepted: result.accepted, stored: result.stored, rejected: rejected))
        }
        api.add(.put, "/api/v1/readings", "Back-fill readings from a file (历史数据补录): CSV (device,at,measurement,value[,unit], or device,at and a "
                + "column per measurement) or JSON as devices post them, up to 1,000,000 lines; kept and deduplicated, never run through the rules",
                tag: "devices", access: "partner, admin", query: ["format"], body: "CSV or JSON") { req, ctx in
            _ = try ctx.requireRole(.partner, .admin, .system)
            let buffer = try await APIJSON.collect(req, limit: 64 * 1024 * 1024)
            let type = req.headers[.contentType]?.lowercased() ?? ""
            let json = try req.queryEnum("format", ReadingFileFormat.self).map { $0 == .json } ?? type.contains("json")
            let (raws, problems) = json
                ? try ReadingFile.json(Data(buffer.readableBytesView)) : try ReadingFile.csv(String(decoding: buffer.readableBytesView, as: UTF8.self))
            let refused = problems.compactMap { p in p.device.map { ReadingRejection(malformed: $0, "line \(p.line): \(p.field): \(p.message)") } }
            let result = try await ingest.backfill(raws, refused: refused)
            return try APIJSON.response(ReadingImportReply(result, problems: problems))
        }
        api.add(.get, "/api/v1/devices/:id/rejections", "A device's refused readings, counted by reason", tag: "devices") { _, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(try await store.rejectionCounts(deviceID: try ctx.param("id")))
        }
        api.add(.get, "/api/v1/alarm-policies", "What each alarm type does to the case workflow: file_case, verify_first or show_only (告警转案件策略)",
                tag: "devices") { _, ctx in
            _ = try ctx.requireRole(staff)
            return try APIJSON.response(platform.context.alarmPolicies)
        }
        api.add(.put, "/api/v1/alarm-policies", "Replace the alarm-to-case policies (types not listed only show)", tag: "devices", access: "admin",
                body: "AlarmPolicies") { req, ctx in
            let actor = try ctx.requireRole(.admin)
            let policies = try await APIJSON.decode([AlarmCasePolicy].self, from: req, context: ctx)
            try await AdminService(platform: platform).saveAlarmPolicies(policies)
            ctx.logger.info("alarm policies", metadata: ["by": "\(actor.userID)", "count": "\(policies.count)"])
            return try APIJSON.response(platform.context.alarmPolicies)
        }
        api.add(.get, "/api/v1/alarms", "Alarms (告警), newest raised first: only those up with active=true, of one device with device",
                tag: "devices", query: ["active", "device", "limit"]) { req, ctx in
            let actor = try ctx.requireActor()
            let active = req.query("active")
            guard active == nil || active == "true" || active == "false" else { throw DomainError.invalid("active", "active is true or false") }
            return try APIJSON.response(
                try await desk.alarms(deviceID: req.query("device"), activeOnly: active == "true", limit: try req.queryInt("limit") ?? 200, actor: actor))
        }
        api.add(.get, "/api/v1/alarms/summary", "Alarms up counted by type, worst first (告警统计, for the leader's screen)", tag: "devices") { _, ctx in
            let actor = try ctx.requireActor()
            return try APIJSON.response(try await desk.summary(actor: actor))
        }
        api.add(.post, "/api/v1/alarms/:id/acknowledge", "Acknowledge an alarm (确认): it stays up until it recovers or is cleared", tag: "devices",
                access: "operator, shiftlead, dispatcher, admin") { _, ctx in
            let actor = try ctx.requireActor()
            return try APIJSON.response(try await desk.acknowledge(try ctx.param("id"), actor: actor))
        }
        api.add(.post, "/api/v1/alarms/:id/clear", "Clear an alarm by hand (清除); 409 when it is already cleared", tag: "devices",
                access: "operator, shiftlead, dispatcher, admin") { _, ctx in
            let actor = try ctx.requireActor()
            return try APIJSON.response(try await desk.clear(try ctx.param("id"), actor: actor))
        }
    }
}

/// The file formats of a device import.
enum DeviceFileFormat: String, CaseIterable {
    case csv, geojson
}

/// The formats of a readings file.
enum ReadingFileFormat: String, CaseIterable {
    case csv, json
}
