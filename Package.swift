// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "CityLoop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cityloop", targets: ["cityloop"]),
        .library(name: "CityLoopDomain", targets: ["CityLoopDomain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        /// Pure domain: entities, workflow, grids, catalog, routing, calendar. Foundation only, no I/O.
        .target(name: "CityLoopDomain", swiftSettings: strict),
        /// Use cases over the storage contract: case service, accounts, hash chain, report formats.
        .target(
            name: "CityLoopServices",
            dependencies: [
                "CityLoopDomain",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        /// The SQLite implementation of the storage contract (GRDB).
        .target(
            name: "CityLoopSQLite",
            dependencies: [
                "CityLoopDomain", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                // SHA-256 to reseal the chains that migration 011 repairs and for the city ledger.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        /// The PostgreSQL implementation of the storage contract (postgres-nio's pooled client), with its numbered
        /// SQL migrations as resources.
        .target(
            name: "CityLoopPostgres",
            dependencies: [
                "CityLoopDomain", .product(name: "PostgresNIO", package: "postgres-nio"),
                // SHA-256 for the city ledger entries appended inside the store's transactions.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: strict),
        /// For tests only: the storage contract in memory, the reference the stores' conformance suites check against.
        .target(name: "CityLoopTestSupport", dependencies: ["CityLoopDomain", "CityLoopServices"], swiftSettings: strict),
        /// Deterministic synthetic demo city.
        .target(name: "CityLoopDemo", dependencies: ["CityLoopDomain", "CityLoopServices"], swiftSettings: strict),
        /// The HTTP API (Hummingbird): router, auth, error mapping, OpenAPI, the live feed and the web console's pages.
        .target(
            name: "CityLoopHTTP",
            dependencies: [
                "CityLoopDomain", "CityLoopServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Web")],
            swiftSettings: strict),
        /// Drives a headless Chromium over WebDriver (chromedriver): the browser tests and the console benchmark.
        .target(name: "CityLoopBrowser", swiftSettings: strict),
        // The Eclipse Paho MQTT C client from Debian's libpaho-mqtt-dev (scripts/bootstrap installs it).
        .systemLibrary(name: "CPahoMQTT", providers: [.apt(["libpaho-mqtt-dev"])]),
        .target(
            name: "CityLoopMQTT",
            dependencies: [
                "CityLoopDomain", "CityLoopServices", "CPahoMQTT",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        /// The JT/T 808 server for vehicle terminals (SwiftNIO over TCP).
        .target(
            name: "CityLoopJT808",
            dependencies: [
                "CityLoopDomain", "CityLoopServices",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        /// The `cityloop` command.
        .executableTarget(
            name: "cityloop",
            dependencies: [
                "CityLoopDomain", "CityLoopServices", "CityLoopSQLite", "CityLoopPostgres", "CityLoopDemo", "CityLoopHTTP", "CityLoopBrowser",
                "CityLoopMQTT", "CityLoopJT808",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .testTarget(name: "CityLoopDomainTests", dependencies: ["CityLoopDomain", "CityLoopDemo"], swiftSettings: strict),
        .testTarget(
            name: "CityLoopStoreTests",
            dependencies: [
                "CityLoopDomain", "CityLoopServices", "CityLoopSQLite", "CityLoopPostgres", "CityLoopDemo", "CityLoopTestSupport", "CityLoopMQTT",
                "CityLoopJT808", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "CityLoopHTTPTests",
            dependencies: [
                "CityLoopDomain", "CityLoopServices", "CityLoopSQLite", "CityLoopDemo", "CityLoopHTTP",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "CityLoopCLITests",
            dependencies: [
                "CityLoopDomain", "CityLoopSQLite", "CityLoopPostgres", "CityLoopBrowser", "CityLoopMQTT", "CityLoopJT808",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict),
    ]
)
