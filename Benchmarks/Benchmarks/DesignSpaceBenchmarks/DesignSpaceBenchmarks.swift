import Benchmark
import DesignSpace
import Foundation

/// Sweep speed: ResNet-50 design points on a systolic family, every point its
/// own hardware (rows × columns × accumulator width), evaluated on one core
/// (`SweepEvaluator.evaluate`, hardware decoding and numerics included; the
/// numerics cache is warmed before measuring). Points per second per core =
/// 1000 / the time of one iteration.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuUser, .peakMemoryResident],
                                           timeUnits: .milliseconds, warmupIterations: 1,
                                           maxDuration: .seconds(10), maxIterations: 20)
    Benchmark("1000 ResNet-50 points on a systolic family, one core") { benchmark in
        let spec = try SweepSpec.load(root.appendingPathComponent("workloads/sweeps/resnet50-100k.yaml").path)
        let evaluator = try SweepEvaluator(spec)
        _ = evaluator.evaluate(Array(0..<8))
        benchmark.startMeasurement()
        // Every 100th point of the 100,000: the mix of array shapes the whole sweep has.
        blackHole(evaluator.evaluate(Array(stride(from: 0, to: 100_000, by: 100))))
    }
}
