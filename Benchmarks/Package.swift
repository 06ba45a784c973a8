// swift-tools-version:6.0
// The benchmarks of CallConsultKit: the codec against libxml2 called directly from C
// (`callconsult-bench`) and the HTTP stacks (`http-bench`). A package of its own, so that a plain
// `swift build` or `swift test` of the library never compiles them (see STYLE.md §12). Run them
// with `Benchmarks/run.sh` (BENCHMARKS.md).
import PackageDescription

let package = Package(
    name: "CallConsultBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The path's last component names the package, so it is named here.
        .package(name: "CallConsultKit", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libxml2 for the C baseline: the root package's shim (libxml2's headers without ICU, and
        // what differs between versions), under a module name of its own, since the root's
        // CLibXML2 is not a product.
        .systemLibrary(
            name: "CLibXML2Bench",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(
            name: "CLibXML2Baseline",
            dependencies: ["CLibXML2Bench"]
        ),
        .executableTarget(
            name: "callconsult-bench",
            dependencies: [
                .product(name: "CallConsultKit", package: "CallConsultKit"),
                "CLibXML2Baseline",
            ]
        ),
        .executableTarget(
            name: "http-bench",
            dependencies: [
                .product(name: "CallConsultKit", package: "CallConsultKit"),
                .product(name: "CallConsultEmulator", package: "CallConsultKit"),
                .product(name: "CallConsultClient", package: "CallConsultKit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
