import CityLoopDomain
import Foundation

/// How the Open311 GeoReport v2 endpoint is served.
public struct GeoReportOptions: Sendable {
    /// Where the endpoint is mounted, e.g. `/open311/v2`.
    public var basePath: String
    /// Whether requests without an API key may create service requests.
    public var anonymousWrites: Bool
    /// Requests per minute for an API key without a rate of its own.
    public var defaultRatePerMinute: Int
    /// The jurisdiction served; a request naming another is refused. Nil accepts any (one jurisdiction served).
    public var jurisdiction: String?
    /// Matter codes (5 digits) or major classes (2 digits) not offered to the public.
    public var hiddenServices: Set<String>
    /// The largest `media` file accepted, in bytes.
    public var maxMediaBytes: Int

    /// Creates options; the defaults serve `/open311/v2`, writes with an API key only, 600 requests a minute.
    public init(
        basePath: String = "/open311/v2", anonymousWrites: Bool = false, defaultRatePerMinute: Int = 600, jurisdiction: String? = nil,
        hiddenServices: Set<String> = [], maxMediaBytes: Int = MediaRules.defaultMaxBytes
    ) {
        self.maxMediaBytes = maxMediaBytes
        self.basePath = basePath
        self.anonymousWrites = anonymousWrites
        self.defaultRatePerMinute = defaultRatePerMinute
        self.jurisdiction = jurisdiction
        self.hiddenServices = hiddenServices
    }
}

/// A `POST requests` body: its fields (form-encoded or multipart) and the `media` file, if one was attached.
public struct GeoReportForm: Sendable {
    /// Field values by name (`attribute[code]` kept as named).
    public var fields: [String: String]
    /// The attached `media` file.
    public var media: Data?

    /// Creates a form.
    public init(fields: [String: String], media: Data? = nil) {
        self.fields = fields
        self.media = media
    }

    /// A field's value, nil when missing or blank.
    public subscript(_ name: String) -> String? {
        guard let v = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }
}
