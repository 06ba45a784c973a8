// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CallConsultKit",
    products: [
        .library(name: "CallConsultKit", targets: ["CallConsultKit"]),
        .executable(name: "callconsult", targets: ["callconsult"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
        .executableTarget(
            name: "callconsult",
            dependencies: [
                "CallConsultKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            name: "ReadmeExamplesTests",
            dependencies: ["CallConsultKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
