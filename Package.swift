// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CallConsultKit",
    products: [
        .library(name: "CallConsultKit", targets: ["CallConsultKit"]),
        .library(name: "CallConsultEmulator", targets: ["CallConsultEmulator"]),
        .executable(name: "callconsult", targets: ["callconsult"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(
            name: "CallConsultKit",
            dependencies: ["CLibXML2"]
        ),
        .target(
            name: "CallConsultEmulator",
            dependencies: [
                "CallConsultKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: [.enableUpcomingFeature("InternalImportsByDefault")]
        ),
        .executableTarget(
            name: "callconsult",
            dependencies: [
                "CallConsultKit",
                "CallConsultEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "callconsult-fuzz",
            dependencies: ["CallConsultKit"]
        ),
        .target(
            name: "CLibXML2Baseline",
            dependencies: ["CLibXML2"]
        ),
        .executableTarget(
            name: "callconsult-bench",
            dependencies: ["CallConsultKit", "CLibXML2Baseline"]
        ),
        .testTarget(
            name: "CallConsultKitTests",
            dependencies: ["CallConsultKit", "CLibXML2"]
        ),
        .testTarget(
            name: "CallConsultCLITests",
            dependencies: ["callconsult"]
        ),
        .testTarget(
            name: "CallConsultEmulatorTests",
            dependencies: [
                "CallConsultEmulator",
                "CallConsultKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "ReadmeExamplesTests",
            dependencies: ["CallConsultKit", "CallConsultEmulator"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
