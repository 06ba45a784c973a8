// swift-tools-version:6.2
// An ECSS-10 call_consult endpoint on Hummingbird, and a client for it, built on CallConsultKit.
import PackageDescription

let package = Package(
    name: "CallConsultServerExample",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "CallConsultKit", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "call-consult-server",
            dependencies: [
                .product(name: "CallConsultKit", package: "CallConsultKit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "call-consult-client",
            dependencies: [
                .product(name: "CallConsultKit", package: "CallConsultKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
