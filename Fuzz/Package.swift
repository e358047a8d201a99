// swift-tools-version: 6.1
//
// Coverage-guided fuzz targets (libFuzzer) for every reader of user input.
// Built and run by Fuzz/run.sh; see Fuzz/README.md.

import PackageDescription

let package = Package(
    name: "lpsim-fuzz",
    dependencies: [.package(name: "lpsim", path: "..")],
    targets: [
        .executableTarget(
            name: "LPSimFuzz",
            dependencies: [
                .product(name: "Formats", package: "lpsim"),
                .product(name: "Hardware", package: "lpsim"),
                .product(name: "Simulator", package: "lpsim"),
                .product(name: "Workload", package: "lpsim"),
                .product(name: "ONNXImport", package: "lpsim"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
