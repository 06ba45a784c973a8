// swift-tools-version:6.0
// A service that uses only the CallConsultKit product, as README's "Adding it to a package" shows.
// Scripts/codec-only.sh builds it and checks that nothing but libxml2's module and CallConsultKit
// was compiled for it (no NIO, Hummingbird, AsyncHTTPClient or ArgumentParser).
import PackageDescription

let package = Package(
    name: "CodecOnly",
    dependencies: [
        .package(name: "CallConsultKit", path: "../../..")
    ],
    targets: [
        .executableTarget(
            name: "CodecOnly",
            dependencies: [
                .product(name: "CallConsultKit", package: "CallConsultKit")
            ])
    ],
    swiftLanguageModes: [.v6]
)
