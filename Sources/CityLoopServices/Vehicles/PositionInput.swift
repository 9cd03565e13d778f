import CityLoopDomain
import Foundation

/// Positions a fleet platform posts (`POST /api/v1/vehicles/positions`): up to 5,000 entries, each checked on its own,
/// so one bad entry is listed with its index and field and the others are kept.
public struct PositionInput: Decodable, Sendable {
    /// One position as posted.
    public struct Entry: Decodable, Sendable {
        /// The vehicle's ID.
        public var vehicle: String?
        /// The time, ISO 8601 or milliseconds since 1970.
        public var at: FlexibleTime?
        /// Latitude and longitude in the coordinate system of the request (WGS84 unless `crs` says otherwise).
        public var lat: Double?
        public var lon: Double?
        /// Speed in km/h, direction in degrees clockwise from north.
        public var speed: Double?
        public var direction: Double?
        /// `empty`, `half`, `full` or `unknown`.
        public var load: String?
        /// Ignition on (ACC).
        public var acc: Bool?
        /// JT/T 808 alarm bits.
        public var alarm: UInt32?
        /// Whether the terminal had a satellite fix (true when absent).
        public var positioned: Bool?
    }

    /// A time as ISO 8601 text or milliseconds since 1970.
    public struct FlexibleTime: Decodable, Sendable {
        /// The instant, when it could be read.
        public var date: Date?

        /// Reads either form; anything else leaves `date` nil (the entry is refused naming `at`).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let ms = try? c.decode(Double.self), ms.isFinite, abs(ms) < 1e15 {
                date = Date(timeIntervalSince1970: ms / 1000)
            } else if let text = try? c.decode(String.self) {
                let f = ISO8601DateFormatter()
                f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                date = ISO8601DateFormatter().date(from: text) ?? f.date(from: text)
            }
        }
    }

    /// The entries.
    public var positions: [Entry]

    /// The most entries one request may carry.
    public static let maximumEntries = 5000

    /// A refused entry: its index (−1 when ingest refused it: an unknown vehicle), the vehicle when given, the field
    /// at fault and why.
    public struct Problem: Equatable, Sendable, Encodable {
        public var index: Int
        public var vehicle: String?
        public var field: String
        public var message: String

        /// Creates a problem.
        public init(index: Int, vehicle: String?, field: String, message: String) {
            self.index = index
            self.vehicle = vehicle
            self.field = field
            self.message = message
        }
    }

    /// The positions that read well, in `crs`, and the problems of the others.
    public func positions(crs: CoordinateSystem) throws -> (positions: [VehiclePosition], problems: [Problem]) {
        guard positions.count <= Self.maximumEntries else {
            throw DomainError.invalid("positions", "at most \(Self.maximumEntries) positions a request")
        }
        var out: [VehiclePosition] = []
        var problems: [Problem] = []
        for (i, e) in positions.enumerated() {
            func refuse(_ field: String, _ message: String) { problems.append(Problem(index: i, vehicle: e.vehicle, field: field, message: message)) }
            guard let id = e.vehicle, id.range(of: "^[A-Za-z0-9_.:-]{1,64}$", options: .regularExpression) != nil else {
                refuse("vehicle", "vehicle must be a vehicle ID (1–64 letters, digits or _ . : -)")
                continue
            }
            guard let at = e.at?.date else {
                refuse("at", "at must be an ISO 8601 time or milliseconds since 1970")
                continue
            }
            guard let lat = e.lat, let lon = e.lon else {
                refuse(e.lat == nil ? "lat" : "lon", "lat and lon are required")
                continue
            }
            let point: GeoPoint
            do { point = try crs.wgs84Point(lat: lat, lon: lon) } catch let error as DomainError {
                refuse(error.field ?? "lat", error.message)
                continue
            }
            if let s = e.speed, !(s.isFinite && (0...400).contains(s)) {
                refuse("speed", "speed must be 0–400 km/h")
                continue
            }
            if let d = e.direction, !(d.isFinite && (0..<360).contains(d)) {
                refuse("direction", "direction must be 0–359 degrees")
                continue
            }
            let load = e.load.map { VehicleLoad(rawValue: $0) } ?? .unknown
            guard let load else {
                refuse("load", "load must be empty, half, full or unknown")
                continue
            }
            out.append(
                VehiclePosition(
                    vehicleID: VehicleID(id), time: at, point: point, speedKmh: e.speed ?? 0, directionDegrees: e.direction ?? 0, load: load,
                    accOn: e.acc ?? true, alarmBits: e.alarm ?? 0, positioned: e.positioned ?? true))
        }
        return (out, problems)
    }
}
