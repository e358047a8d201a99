// swift-tools-version: 6.1
//
// lpsim — a low-precision hardware simulator and cost model.
//
// One library module per pipeline layer, imported only from left to right:
//   Formats → Arithmetic → Documents → Workload → Hardware → Simulator → Reports → DesignSpace → lpsim (CLI)
// See docs/architecture.md.

import PackageDescription

let package = Package(
    name: "lpsim",
    products: [
        .executable(name: "lpsim", targets: ["lpsim"]),
        .library(name: "Formats", targets: ["Formats"]),
        .library(name: "Arithmetic", targets: ["Arithmetic"]),
        .library(name: "Hardware", targets: ["Hardware"]),
        .library(name: "Workload", targets: ["Workload"]),
        .library(name: "Simulator", targets: ["Simulator"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "DesignSpace", targets: ["DesignSpace"]),
        .library(name: "ONNXImport", targets: ["ONNXImport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Only the ONNX importer uses it (its code is generated once: scripts/onnx/generate_onnx_swift.sh).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .target(name: "Formats", exclude: ["README.md"]),
        .target(name: "Arithmetic", dependencies: ["Formats"], exclude: ["README.md"]),
        .target(name: "Documents", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Workload", dependencies: ["Formats", "Documents"], exclude: ["README.md"]),
        .target(name: "Reports", dependencies: ["Formats", "Arithmetic", "Documents", "Hardware", "Workload", "Simulator"], exclude: ["README.md"]),
        // Sweeps over hardware key paths, formats and workloads, and the mixed-precision search (issue 17);
        // imports every layer before it.
        .target(name: "DesignSpace", dependencies: ["Formats", "Arithmetic", "Documents", "Hardware", "Workload", "Simulator",
                                                    "Reports", .product(name: "Yams", package: "Yams")],
                exclude: ["README.md"]),
        .target(name: "Simulator", dependencies: ["Formats", "Arithmetic", "Documents", "Hardware", "Workload"], exclude: ["README.md"]),
        // Imports Formats and Workload only; no other library module depends on it (or on swift-protobuf).
        .target(name: "ONNXImport", dependencies: ["Formats", "Workload", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["README.md"]),
        .target(name: "Hardware", dependencies: ["Formats", "Arithmetic", "Documents", "Workload", .product(name: "Yams", package: "Yams")], exclude: ["README.md"]),
        .executableTarget(
            name: "lpsim",
            dependencies: [
                "Formats",
                "Arithmetic",
                "Documents",
                "Hardware",
                "Workload",
                "Simulator",
                "Reports",
                "DesignSpace",
                "ONNXImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FormatsTests", dependencies: ["Formats"]),
        .testTarget(name: "ArithmeticTests", dependencies: ["Arithmetic", "Formats"], exclude: ["Fixtures"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "Workload", "Hardware", "Documents", "Formats",
                                                  .product(name: "Yams", package: "Yams")], exclude: ["Fixtures"]),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "Hardware", "Documents", "Formats"], exclude: ["Bad", "Fixtures"]),
        .testTarget(name: "HardwareTests", dependencies: ["Hardware", "Simulator", "Documents", "Arithmetic", "Formats"], exclude: ["Broken", "Fixtures"]),
        .testTarget(name: "ONNXImportTests", dependencies: ["ONNXImport", "Workload", "Formats"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["lpsim", "Formats"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Simulator", "Workload", "Hardware", "Formats"]),
        .testTarget(name: "DesignSpaceTests", dependencies: ["DesignSpace", "Simulator", "Workload", "Hardware",
                                                            "Documents", "Formats"]),
    ],
    swiftLanguageModes: [.v6]
)
