import CityLoopDomain
import Foundation

/// The device registry (设备台账): administrators register devices one by one or from a CSV or GeoJSON file; each
/// is placed on its unit grid; a device gets a credential (its token over HTTP, its password over MQTT).
public struct DeviceRegistry: Sendable {
    let platform: Platform

    /// Creates the registry of `platform`.
    public init(platform: Platform) { self.platform = platform }

    /// The device types: their measurements, units, ranges and rules.
    public var profiles: [DeviceProfile] { Array(platform.deviceIngest.profiles.values).sorted { $0.id < $1.id } }

    /// Registers (or replaces) one device; 422 naming the field when it is wrong.
    public func register(_ input: DeviceInput, actor: Actor) async throws -> Device {
        try requireAdmin(actor)
        let device = try await check(input)
        try await platform.store.saveDevices([device])
        await platform.deviceIngest.forget([device.id])
        return device
    }

    /// Registers the devices of a CSV file: a header naming `id,profile,lat,lon` and optionally `model`,
    /// `componentID`, `departmentID`, `reportingIntervalSeconds`, `attributes` (`name=value;name=value`). Good lines are
    /// registered, bad ones listed with the reason.
    public func importCSV(_ text: String, crs: CoordinateSystem, actor: Actor) async throws -> DeviceImportResult {
        try requireAdmin(actor)
        let records = CSVReader.records(text).filter { $0.error != nil || !$0.fields.allSatisfy(\.isEmpty) }
        guard let header = records.first?.fields, ["id", "profile", "lat", "lon"].allSatisfy(header.contains) else {
            throw DomainError.invalid("body", "the first line must name the columns, at least id,profile,lat,lon")
        }
        var inputs: [(Int, DeviceInput)] = []
        var rejected: [DeviceImportRejection] = []
        for record in records.dropFirst() {
            if let error = record.error {
                rejected.append(DeviceImportRejection(line: record.line, field: nil, reason: error))
                continue
            }
            var row: [String: String] = [:]
            for (name, cell) in zip(header, record.fields) where !cell.isEmpty { row[name] = cell }
            do {
                inputs.append((record.line, try Self.input(row, crs: crs)))
            } catch let e as DomainError {
                rejected.append(DeviceImportRejection(line: record.line, field: e.field, reason: e.message))
            }
        }
        return try await save(inputs, rejected: rejected)
    }

    /// Registers the Point features of a GeoJSON FeatureCollection, their properties named as the CSV's columns.
    public func importGeoJSON(_ data: Data, crs: CoordinateSystem, actor: Actor) async throws -> DeviceImportResult {
        try requireAdmin(actor)
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any], root["type"] as? String == "FeatureCollection",
            let features = root["features"] as? [Any]
        else { throw DomainError.invalid("body", "the body must be a GeoJSON FeatureCollection") }
        var inputs: [(Int, DeviceInput)] = []
        var rejected: [DeviceImportRejection] = []
        for (i, f) in features.enumerated() {
            do {
                guard let feature = f as? [String: Any], let geometry = feature["geometry"] as? [String: Any], geometry["type"] as? String == "Point",
                    let coords = geometry["coordinates"] as? [Any], coords.count >= 2, let lon = (coords[0] as? NSNumber)?.doubleValue,
                    let lat = (coords[1] as? NSNumber)?.doubleValue
                else { throw DomainError.invalid("geometry", "a device is a Point feature with [lon, lat] coordinates") }
                var row: [String: String] = ["lat": String(lat), "lon": String(lon)]
                for (k, v) in feature["properties"] as? [String: Any] ?? [:] where k != "lat" && k != "lon" {
                    if let s = v as? String { row[k] = s } else if let n = v as? NSNumber { row[k] = n.stringValue }
                    else if let dict = v as? [String: Any], k == "attributes" {
                        row[k] = dict.compactMap { (name, value) in (value as? NSNumber).map { "\(name)=\($0.stringValue)" } }.joined(separator: ";")
                    }
                }
                inputs.append((i, try Self.input(row, crs: crs)))
            } catch let e as DomainError {
                rejected.append(DeviceImportRejection(line: i, field: e.field, reason: e.message))
            }
        }
        return try await save(inputs, rejected: rejected)
    }

    /// Issues a new credential for a device, replacing its former one; the token is shown once. It is the device's
    /// bearer token for `POST /api/v1/readings` and its MQTT password.
    public func issueCredential(deviceID: String, actor: Actor) async throws -> String {
        try requireAdmin(actor)
        guard try await platform.store.device(id: deviceID) != nil else { throw DomainError.notFound("device", deviceID) }
        let token = Self.credentialPrefix + Passwords.randomToken()
        try await platform.store.saveDeviceCredential(deviceID: deviceID, hash: SHA256Hasher.hex(Data(token.utf8)), mqttHash: MosquittoPassword.hash(token))
        return token
    }

    /// Mosquitto's password file and ACL for the city's devices (设备接入鉴权): each device signs in with its ID and
    /// its credential and may publish only to its own readings topic (a camera registered as a device, to its own detections topic); `service` (CityLoop's own MQTT user, with its
    /// password) may read every device's topic. Gateways' users the broker's operator adds by hand.
    public func mosquittoFiles(city: String, service: (username: String, password: String)?) async throws -> (passwords: String, acl: String) {
        // A device ID holding ':' cannot be a username in the file (the name ends at the first ':').
        var passwords = try await platform.store.deviceMQTTPasswords().filter { !$0.deviceID.contains(":") }.map { "\($0.deviceID):\($0.hash)\n" }.joined()
        var acl = "# Written by cityloop mqtt-auth: devices publish to their own topic only.\n"
        if let service {
            guard ReadingPayload.isName(service.username, max: 64), !service.password.isEmpty, !service.password.contains("\n") else {
                throw DomainError.invalid("mqtt.username", "CityLoop's MQTT user must be 1–64 letters, digits or _ . : - with a password")
            }
            passwords += "\(service.username):\(MosquittoPassword.hash(service.password))\n"
            acl += "user \(service.username)\ntopic read cityloop/\(city)/#\n\n"
        }
        acl += "pattern write cityloop/\(city)/devices/%u/readings\n"
        // A camera posting its own detections signs in as the device of its ID.
        acl += "pattern write cityloop/\(city)/cameras/%u/detections\n"
        return (passwords, acl)
    }

    /// The device a credential belongs to; 401 when it belongs to none.
    public func authenticate(credential: String) async throws -> String {
        guard credential.hasPrefix(Self.credentialPrefix), credential.count <= 128,
            let id = try await platform.store.deviceID(credentialHash: SHA256Hasher.hex(Data(credential.utf8)))
        else { throw DomainError(.unauthenticated, code: "auth.invalid_device_token", "the device token is unknown or was replaced") }
        return id
    }

    /// Device tokens start with this, so that the API tells them from account tokens.
    public static let credentialPrefix = "dk_"

    /// The device with this ID; 404 when there is none.
    public func device(id: String) async throws -> Device {
        guard let d = try await platform.store.device(id: id) else { throw DomainError.notFound("device", id) }
        return d
    }

    /// Devices in ID order after `after`.
    public func devices(after: String?, limit: Int) async throws -> [Device] {
        guard (1...5000).contains(limit) else { throw DomainError.invalid("limit", "limit must be between 1 and 5000") }
        return try await platform.store.devices(after: after, limit: limit)
    }

    /// Checks an input and makes the device: profile, ID, position in the city, department and component known.
    func check(_ input: DeviceInput) async throws -> Device {
        let ctx = platform.context
        try TextRules.check(input.id, field: "id")
        try TextRules.check(input.model, field: "model")
        if let m = input.model, m.count > 64 { throw DomainError.invalid("model", "model must have at most 64 characters") }
        let point = try CoordinateSystem.parse(input.crs).wgs84Point(lat: input.lat, lon: input.lon)
        guard let placement = ctx.map.place(point) else {
            throw DomainError.invalid("lat", "location (\(input.lat), \(input.lon)) is outside the city's unit grids", code: "location.outside_city")
        }
        if let d = input.departmentID, ctx.departments[DepartmentID(d)] == nil {
            throw DomainError.invalid("departmentID", "department '\(d)' does not exist", code: "department.not_found")
        }
        let device = Device(
            id: input.id, profileID: input.profile, model: input.model, point: point, gridCode: placement.gridCode, componentID: input.componentID,
            departmentID: input.departmentID.map { DepartmentID($0) }, reportingIntervalSeconds: input.reportingIntervalSeconds ?? DeviceInput.defaultInterval,
            attributes: input.attributes ?? [:], rules: input.rules ?? [], registeredAt: platform.clock.now())
        if let problem = device.problems(profile: platform.deviceIngest.profiles[input.profile]).first {
            throw DomainError.invalid(problem.field == "profileID" ? "profile" : problem.field, problem.message)
        }
        if let c = input.componentID, try await platform.store.component(id: c) == nil {
            throw DomainError.invalid("componentID", "component '\(c)' does not exist", code: "component.not_found")
        }
        return device
    }

    private func save(_ inputs: [(Int, DeviceInput)], rejected: [DeviceImportRejection]) async throws -> DeviceImportResult {
        var rejected = rejected
        var devices: [Device] = []
        var seen = Set<String>()
        for (line, input) in inputs {
            do {
                guard seen.insert(input.id).inserted else { throw DomainError.invalid("id", "device \(input.id) is listed twice") }
                devices.append(try await check(input))
            } catch let e as DomainError {
                rejected.append(DeviceImportRejection(line: line, field: e.field, reason: e.message))
            }
        }
        for page in stride(from: 0, to: devices.count, by: 1000) {
            try await platform.store.saveDevices(Array(devices[page..<min(devices.count, page + 1000)]))
        }
        await platform.deviceIngest.forget(devices.map(\.id))
        return DeviceImportResult(imported: devices.count, rejected: rejected.sorted { $0.line < $1.line })
    }

    /// An input from a file's named cells.
    static func input(_ row: [String: String], crs: CoordinateSystem) throws -> DeviceInput {
        func number(_ name: String) throws -> Double {
            guard let text = row[name] else { throw DomainError.invalid(name, "\(name) is required") }
            guard let v = Double(text), v.isFinite else { throw DomainError.invalid(name, "\(name) must be a number") }
            return v
        }
        guard let id = row["id"] else { throw DomainError.invalid("id", "id is required") }
        guard let profile = row["profile"] else { throw DomainError.invalid("profile", "profile is required") }
        var interval: Int?
        if let text = row["reportingIntervalSeconds"] {
            guard let n = Int(text) else { throw DomainError.invalid("reportingIntervalSeconds", "reportingIntervalSeconds must be a whole number") }
            interval = n
        }
        var attributes: [String: Double] = [:]
        for pair in (row["attributes"] ?? "").split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let v = Double(parts[1]), v.isFinite else {
                throw DomainError.invalid("attributes", "attributes are name=number pairs separated by ';'")
            }
            attributes[parts[0]] = v
        }
        let p = try crs.wgs84Point(lat: try number("lat"), lon: try number("lon"))
        return DeviceInput(
            id: id, profile: profile, model: row["model"], lat: p.lat, lon: p.lon, componentID: row["componentID"], departmentID: row["departmentID"],
            reportingIntervalSeconds: interval, attributes: attributes)
    }

    /// The CSV columns a device file has, in order (`importCSV` reads them back).
    public static let csvColumns = ["id", "profile", "lat", "lon", "model", "componentID", "departmentID", "reportingIntervalSeconds", "attributes"]

    /// Devices as the CSV `importCSV` reads (WGS 84).
    public static func csv(_ devices: [Device]) -> String {
        var out = csvColumns.joined(separator: ",") + "\n"
        for d in devices {
            let attributes = d.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
            let cells = [
                d.id, d.profileID, String(d.point.lat), String(d.point.lon), d.model ?? "", d.componentID ?? "", d.departmentID?.rawValue ?? "",
                String(d.reportingIntervalSeconds), attributes,
            ]
            out += cells.map(CSVReader.quote).joined(separator: ",") + "\n"
        }
        return out
    }

    private func requireAdmin(_ actor: Actor) throws {
        guard actor.role == .admin || actor.role == .system else { throw DomainError.forbidden("only administrators register devices") }
    }
}
