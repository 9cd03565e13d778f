import Foundation

/// A camera whose video an AI model watches (AI 摄像头): where it stands, where it looks, the zones of its picture
/// that count, the hours it is analysed and the detection types it may report.
public struct Camera: Hashable, Codable, Sendable {
    /// The camera's ID: 1–64 letters, digits or `_ . -`.
    public var id: CameraID
    /// The camera's name, e.g. 金水路与经三路口东北角, 1–100 characters on one line.
    public var name: String
    /// Where the camera stands (WGS84).
    public var location: GeoPoint
    /// The direction it looks, in degrees clockwise from north, 0..<360.
    public var heading: Double
    /// How far it sees usefully, in metres, 1...500.
    public var range: Double
    /// The zones of its picture that count; empty means the whole picture counts for every type.
    public var zones: [CameraZone]
    /// The local hours (China, UTC+8) its detections count; empty means always. Outside them they are ignored.
    public var schedules: [DailyWindow]
    /// The detection types it may report; empty means every type.
    public var types: Set<DetectionType>
    /// Whether its detections count at all (a camera being moved or repaired is set inactive).
    public var active: Bool

    /// The default range in metres.
    public static let defaultRange = 50.0
    /// The most zones a camera may have.
    public static let maxZones = 32

    /// Creates a camera.
    public init(
        id: CameraID, name: String, location: GeoPoint, heading: Double, range: Double = Camera.defaultRange,
        zones: [CameraZone] = [], schedules: [DailyWindow] = [], types: Set<DetectionType> = [], active: Bool = true
    ) {
        self.id = id
        self.name = name
        self.location = location
        self.heading = heading
        self.range = range
        self.zones = zones
        self.schedules = schedules
        self.types = types
        self.active = active
    }

    private enum CodingKeys: String, CodingKey { case id, name, location, heading, range, zones, schedules, types, active }

    /// Reads a camera; `range` defaults to 50 m, `zones`, `schedules` and `types` to none, `active` to true.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(CameraID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        location = try c.decode(GeoPoint.self, forKey: .location)
        heading = try c.decode(Double.self, forKey: .heading)
        range = try c.decodeIfPresent(Double.self, forKey: .range) ?? Self.defaultRange
        zones = try c.decodeIfPresent([CameraZone].self, forKey: .zones) ?? []
        schedules = try c.decodeIfPresent([DailyWindow].self, forKey: .schedules) ?? []
        types = try c.decodeIfPresent(Set<DetectionType>.self, forKey: .types) ?? []
        active = try c.decodeIfPresent(Bool.self, forKey: .active) ?? true
    }

    /// The point `range / 2` metres from the camera along its heading, on a sphere of the mean Earth radius: the
    /// middle of what it sees, where its cases are placed (and so the unit grid they fall in).
    public var viewPoint: GeoPoint {
        let d = range / 2 / GeoPoint.earthRadius
        let theta = heading * .pi / 180
        let p1 = location.lat * .pi / 180, l1 = location.lon * .pi / 180
        let p2 = asin(sin(p1) * cos(d) + cos(p1) * sin(d) * cos(theta))
        let l2 = l1 + atan2(sin(theta) * sin(d) * cos(p1), cos(d) - sin(p1) * sin(p2))
        var lon = l2 * 180 / .pi
        // Back into -180...180 for a camera looking across the antimeridian.
        if lon > 180 { lon -= 360 } else if lon < -180 { lon += 360 }
        return GeoPoint(lat: p2 * 180 / .pi, lon: lon)
    }

    /// Whether the camera may report `type`.
    public func reports(_ type: DetectionType) -> Bool { types.isEmpty || types.contains(type) }

    /// Whether its detections count at `date`: within one of its schedules, or always when it has none.
    public func isScheduled(at date: Date, utcOffsetSeconds: Int = 8 * 3600) -> Bool {
        DailyWindow.covers(schedules, date, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// Whether the camera could have detected `scene` at some time in [`from`, `to`]: active, reporting the type, with
    /// the scene's zone still there and allowing it (or no zones, for a scene without one), and within its schedules
    /// for part of the time (looked at minute by minute). A camera that could not have seen the scene proves nothing
    /// by not reporting it.
    public func watches(_ scene: CandidateKey, from: Date, to: Date, utcOffsetSeconds: Int = 8 * 3600) -> Bool {
        guard active, reports(scene.type), from <= to else { return false }
        if let zoneID = scene.zoneID {
            guard zones.first(where: { $0.id == zoneID })?.allows(scene.type) == true else { return false }
        } else if !zones.isEmpty {
            return false
        }
        guard !schedules.isEmpty else { return true }
        var t = from
        while t <= to {
            if isScheduled(at: t, utcOffsetSeconds: utcOffsetSeconds) { return true }
            t = t.addingTimeInterval(60)
        }
        return isScheduled(at: to, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// Throws an invalid-input error naming the field: an ID of 1–64 letters, digits or `_ . -`; a name of 1–100
    /// characters without control characters; a WGS84 location; a heading in 0..<360; a range in 1...500 m; at most
    /// 32 zones, each valid (`zones[i]…`), with unique IDs; at most 24 schedules.
    public func validate() throws {
        guard CameraText.isToken(id.rawValue, extra: "_.-", length: 1...64) else {
            throw DomainError.invalid("id", "id must be 1–64 letters, digits or _ . -", code: "camera.id")
        }
        try CameraText.checkName(name, field: "name", length: 1...100, code: "camera.name")
        guard location.lat.isFinite, (-90...90).contains(location.lat) else {
            throw DomainError.invalid("location.lat", "location.lat must be a latitude in -90...90", code: "camera.location")
        }
        guard location.lon.isFinite, (-180...180).contains(location.lon) else {
            throw DomainError.invalid("location.lon", "location.lon must be a longitude in -180...180", code: "camera.location")
        }
        guard heading.isFinite, heading >= 0, heading < 360 else {
            throw DomainError.invalid("heading", "heading must be degrees clockwise from north in 0..<360", code: "camera.heading")
        }
        guard range.isFinite, (1...500).contains(range) else {
            throw DomainError.invalid("range", "range must be 1–500 metres", code: "camera.range")
        }
        guard zones.count <= Self.maxZones else {
            throw DomainError.invalid("zones", "a camera has at most \(Self.maxZones) zones, not \(zones.count)", code: "camera.zones")
        }
        var seen = Set<String>()
        for (i, z) in zones.enumerated() {
            try z.validate(at: "zones[\(i)]")
            guard seen.insert(z.id).inserted else {
                throw DomainError.invalid("zones[\(i)].id", "zone id '\(z.id)' is used twice", code: "camera.zones")
            }
        }
        guard schedules.count <= 24 else {
            throw DomainError.invalid("schedules", "a camera has at most 24 schedules", code: "camera.schedules")
        }
    }
}
