// swift-tools-version: 6.1
//
// lpsim's benchmarks: a package of their own so that the main package's
// build and tests never depend on the benchmark harness.
//
//   cd Benchmarks && swift package benchmark
//
// See Benchmarks/README.md.

import PackageDescription

let package = Package(
    name: "lpsim-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "lpsim", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "FormatsBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Formats", package: "lpsim"),
                .product(name: "Arithmetic", package: "lpsim"),
            ],
            path: "Benchmarks/FormatsBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ArithmeticBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Arithmetic", package: "lpsim"),
                .product(name: "Formats", package: "lpsim"),
            ],
            path: "Benchmarks/ArithmeticBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "WorkloadBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Workload", package: "lpsim"),
            ],
            path: "Benchmarks/WorkloadBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ONNXBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ONNXImport", package: "lpsim"),
                .product(name: "Workload", package: "lpsim"),
            ],
            path: "Benchmarks/ONNXBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SimulatorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Simulator", package: "lpsim"),
                .product(name: "Hardware", package: "lpsim"),
                .product(name: "Workload", package: "lpsim"),
            ],
            path: "Benchmarks/SimulatorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "DesignSpaceBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DesignSpace", package: "lpsim"),
            ],
            path: "Benchmarks/DesignSpaceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
