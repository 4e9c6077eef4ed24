// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "vmgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vmgate", targets: ["vmgate"]),
        .library(name: "Gateway", targets: ["Gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
    ],
    targets: [
        // MARK: Model
        .target(name: "Spec", path: "Sources/Spec", swiftSettings: strict),

        // MARK: Backends
        .systemLibrary(
            name: "CLibvirt", path: "Sources/Backends/CLibvirt", pkgConfig: "libvirt",
            providers: [.apt(["libvirt-dev"])]),
        .target(
            name: "Libvirt",
            dependencies: [
                "Spec", "CLibvirt",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Sources/Backends/Libvirt", swiftSettings: strict),
        .systemLibrary(
            name: "CCurl", path: "Sources/Backends/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "Proxy",
            dependencies: [
                "Spec", "CCurl",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Backends/Proxy", swiftSettings: strict),
        .target(
            name: "Fetch",
            dependencies: ["Spec", "CCurl", .product(name: "NIOPosix", package: "swift-nio")],
            path: "Sources/Backends/Fetch", swiftSettings: strict),

        // MARK: Gateway
        .target(
            name: "Store",
            dependencies: ["Spec", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/Gateway/Store", swiftSettings: strict),
        .systemLibrary(
            name: "CPCRE2", path: "Sources/Gateway/CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]),
        .target(
            name: "GatewayCore",
            dependencies: [
                "Spec", "CPCRE2", "Fetch",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Sources/Gateway/Core", swiftSettings: strict),
        .target(
            name: "DialectKit",
            dependencies: [
                "Spec", "GatewayCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Gateway/DialectKit", swiftSettings: strict),
        .target(
            name: "NativeDialect",
            dependencies: ["Spec", "GatewayCore", "DialectKit", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Sources/Gateway/Dialects/Native", swiftSettings: strict),
        .target(
            name: "KimchiDialect",
            dependencies: ["Spec", "GatewayCore", "DialectKit", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Sources/Gateway/Dialects/Kimchi", swiftSettings: strict),
        .target(
            name: "VirtualizationServerDialect",
            dependencies: [
                "Spec", "GatewayCore", "DialectKit", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Gateway/Dialects/VirtualizationServer", swiftSettings: strict),
        .target(
            name: "IMDialect",
            dependencies: ["Spec", "GatewayCore", "DialectKit", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Sources/Gateway/Dialects/IM", swiftSettings: strict),
        .target(
            name: "CometDialect",
            dependencies: [
                "Spec", "GatewayCore", "DialectKit", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            path: "Sources/Gateway/Dialects/Comet", swiftSettings: strict),
        .target(
            name: "VMPoolerDialect",
            dependencies: [
                "Spec", "GatewayCore", "DialectKit", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/Gateway/Dialects/VMPooler", swiftSettings: strict),
        .target(
            name: "Gateway",
            dependencies: [
                "Spec", "Libvirt", "Proxy", "Fetch", "Store", "GatewayCore", "DialectKit", "NativeDialect",
                "KimchiDialect",
                "VirtualizationServerDialect", "IMDialect", "CometDialect", "VMPoolerDialect",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/Gateway/Server", swiftSettings: strict),
        .executableTarget(
            name: "vmgate",
            dependencies: [
                "Gateway", "GatewayCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Gateway/vmgate", swiftSettings: strict),

        // MARK: Tooling
        .plugin(
            name: "FormatCheck",
            capability: .command(
                intent: .custom(verb: "format-check", description: "Lint (or --fix) the sources with swift-format")),
            path: "plugins/FormatCheck"),

        // MARK: Tests
        .testTarget(name: "SpecTests", dependencies: ["Spec"], path: "Tests/SpecTests", swiftSettings: strict),
        .testTarget(
            name: "BackendConformanceTests",
            dependencies: [
                "Spec", "Libvirt", "Proxy", "Gateway", "GatewayTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/BackendConformanceTests", resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "StoreTests", dependencies: ["Spec", "Store"], path: "Tests/StoreTests", swiftSettings: strict),
        .target(
            name: "GatewayTestSupport",
            dependencies: [
                "Gateway", "Spec", "GatewayCore", "DialectKit", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            path: "Tests/Support", resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "KimchiDialectTests", dependencies: ["GatewayTestSupport"],
            path: "Tests/Dialects/Kimchi", swiftSettings: strict),
        .testTarget(
            name: "VirtualizationServerDialectTests",
            dependencies: ["GatewayTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/Dialects/VirtualizationServer", swiftSettings: strict),
        .testTarget(
            name: "IMDialectTests", dependencies: ["GatewayTestSupport"],
            path: "Tests/Dialects/IM", swiftSettings: strict),
        .testTarget(
            name: "CometDialectTests",
            dependencies: [
                "GatewayTestSupport", .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ],
            path: "Tests/Dialects/Comet", swiftSettings: strict),
        .testTarget(
            name: "VMPoolerDialectTests",
            dependencies: ["GatewayTestSupport", "VMPoolerDialect", "GatewayCore", "Spec"],
            path: "Tests/Dialects/VMPooler", swiftSettings: strict),
        .testTarget(
            name: "IdentityTests",
            dependencies: [
                "Gateway", "GatewayCore", "DialectKit", "Spec", "GatewayTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/IdentityTests", swiftSettings: strict),
        .testTarget(
            name: "HardeningTests",
            dependencies: [
                "Gateway", "GatewayCore", "Spec", "GatewayTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/HardeningTests", swiftSettings: strict),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "Spec", "Store", "GatewayCore", "GatewayTestSupport",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/GatewayTests", swiftSettings: strict),
    ]
)
