import Foundation

/// How the web console (网页工作台) is served: where its pages and the Debian-packaged map and chart libraries
/// are read from, and an optional base-map tile URL.
public struct ConsoleOptions: Sendable {
    /// The folder holding `index.html`, `js/`, `css/` and `i18n/`; nil serves the copy built into the server.
    public var webRoot: String?
    /// The folder holding Debian's JavaScript packages (`leaflet/`, `chart.js/`), served under `/vendor/`.
    public var vendorRoot: String
    /// A tile URL template (`https://…/{z}/{x}/{y}.png`) for deployments that have a tile server; without one
    /// the base map is the city's own districts, streets and grids drawn as vectors.
    public var tileURL: String?
    /// The attribution shown for the tiles.
    public var tileAttribution: String?
    /// The component classes the public city map (城管地图) shows: public toilets, green space and parks, garbage
    /// rooms and bins, kiosks, rest pavilions, parking, bicycle hire points, charging posts.
    public var publicFacilityClasses = ["03001", "04013", "03004", "03005", "01040", "01052", "02001", "02026", "01054"]

    /// Creates options.
    public init(webRoot: String? = nil, vendorRoot: String = "/usr/share/javascript", tileURL: String? = nil, tileAttribution: String? = nil) {
        self.webRoot = webRoot
        self.vendorRoot = vendorRoot
        self.tileURL = tileURL
        self.tileAttribution = tileAttribution
    }

    /// The folder the pages are served from.
    public var resolvedWebRoot: String {
        if let webRoot { return webRoot }
        return Bundle.module.resourceURL!.appendingPathComponent("Web").path
    }
}
