import Benchmark
import Foundation
import Hardware
import Simulator
import Workload

/// Simulation speed: whole traces replayed on a device (loading excluded).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], timeUnits: .microseconds,
                                           warmupIterations: 2, maxDuration: .seconds(3), maxIterations: 200)

    /// A shipped trace replayed on a shipped device; loading is not timed.
    func replay(_ title: String, hardware: String, workload: String, precision: String) {
        Benchmark(title) { benchmark in
            let simulator = Simulator(hardware: try HardwareLoader.load(path(hardware)), plan: try PrecisionPlan.load(precision))
            let trace = try TraceReader.load(path(workload))
            benchmark.startMeasurement()
            blackHole(try simulator.run(trace))
        }
    }
    replay("ResNet-50 on the 32×32 systolic array (int8)", hardware: "hardware/scale-sim-32x32.yaml",
           workload: "workloads/resnet50.yaml", precision: "int8")
    scaleSimBenchmarks()
    replay("Llama-2-7B prefill (2048 tokens) on H100 (bf16)", hardware: "hardware/nvidia-h100-sxm5.yaml",
           workload: "workloads/llama-2-7b-prefill-2048.yaml", precision: "bf16")

    // Acceptance of issue 20: under 1 s.
    Benchmark("dataflow folding search, ResNet-50 on the U250 (int8)",
              configuration: .init(timeUnits: .milliseconds, maxDuration: .seconds(10),
                                   maxIterations: 20)) { benchmark in
        let planner = try DataflowPlanner(hardware: try HardwareLoader.load(path("hardware/xilinx-alveo-u250.yaml")))
        let layers = try DataflowLayer.layers(of: try TraceReader.load(path("workloads/resnet50.yaml")),
                                              plan: try PrecisionPlan.load("int8"))
        benchmark.startMeasurement()
        blackHole(try planner.search(layers))
    }

    // CPU time beside wall time: on a shared machine the wall clock measures the neighbours too.
    Benchmark("1M-op trace on H100 (fp8), ops per second = 1M / time",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .throughput], timeUnits: .milliseconds,
                                   maxDuration: .seconds(10), maxIterations: 5)) { benchmark in
        let gpu = try HardwareLoader.load(path("hardware/nvidia-h100-sxm5.yaml"))
        // Every op is its own (its own name; shapes cycle through 512, 64 and 4096 values), as in a long trace.
        let ops: [Op] = (0..<1_000_000).map { i in
            switch i % 4 {
            case 0: return Op(name: "gemm\(i)", kind: .gemm, dims: ["m": i % 512 + 1, "n": 4096, "k": 4096])
            case 1: return Op(name: "conv\(i)", kind: .conv2d, dims: ["c": 64, "h": 56, "w": 56, "k": 64 + i % 64, "r": 3, "s": 3, "padding": 1])
            case 2: return Op(name: "qk\(i)", kind: .attentionQK, dims: ["heads": 32, "kv_heads": 8, "seq_q": 1, "seq_kv": i % 4096 + 1, "head_dim": 128])
            default: return Op(name: "add\(i)", kind: .elementwise, dims: ["elements": i + 1, "operands": 2])
            }
        }
        let trace = Trace(name: "1M ops", ops: ops)
        let simulator = Simulator(hardware: gpu, plan: try PrecisionPlan.load("fp8"))
        benchmark.startMeasurement()
        blackHole(try simulator.run(trace))
    }
}
