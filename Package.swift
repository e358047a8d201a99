// swift-tools-version: 6.1
//
// lpsim — a low-precision hardware simulator and cost model.
//
// One library module per pipeline layer, imported only from left to right:
//   Formats → Arithmetic → Hardware → Workload → Simulator → Reports → lpsim (CLI)
// See docs/architecture.md.

import PackageDescription

let package = Package(
    name: "lpsim",
    products: [
        .executable(name: "lpsim", targets: ["lpsim"]),
        .library(name: "Formats", targets: ["Formats"]),
        .library(name: "Arithmetic", targets: ["Arithmetic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Formats", exclude: ["README.md"]),
        .target(name: "Arithmetic", dependencies: ["Formats"], exclude: ["README.md"]),
        .executableTarget(
            name: "lpsim",
            dependencies: [
                "Formats",
                "Arithmetic",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FormatsTests", dependencies: ["Formats"]),
        .testTarget(name: "ArithmeticTests", dependencies: ["Arithmetic", "Formats"]),
        .testTarget(name: "CLITests", dependencies: ["lpsim", "Formats"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
