import Benchmark
import Foundation
import Hardware
import Simulator
import Workload

/// SCALE-Sim's memory model on ResNet-50 (issue 13: the whole process under 50 ms with the memory model).
func scaleSimBenchmarks() {
    // The whole trace on SCALE-Sim's own scale.cfg (CALC, its three DRAM channels): after the first
    // iteration the per-shape results are memoised, so this is the warm per-op path.
    Benchmark("ResNet-50 on SCALE-Sim's scale.cfg (32×32 ws, CALC channels, int8)") { benchmark in
        let device = try HardwareLoader.load(path("Tests/HardwareTests/Fixtures/scale.cfg"))
        let simulator = Simulator(hardware: device, plan: try PrecisionPlan.load("int8"))
        let trace = try TraceReader.load(path("workloads/resnet50.yaml"))
        benchmark.startMeasurement()
        blackHole(try simulator.run(trace))
    }

    // Every ResNet-50 convolution through ScaleSimModel.report, cold: each iteration asks for a buffer a
    // word larger than the last, so no memoised result is reused (the ws ifmap count by window-offset class,
    // a fold's lanes in runs, `ScaleSimIfmapClasses`; the timed ofmap drains).
    let layers: [ScaleSimLayer] = ((try? TraceReader.load(path("workloads/resnet50.yaml")))?.ops ?? [])
        .filter { $0.kind == .conv2d }
        .compactMap { op in
            guard let (p, q) = try? op.outputSize() else { return nil }
            let pad = op["padding"], stride = max(1, op["stride"])
            // Output rows and columns as lpsim's conv2d counts them, as `SystolicEngine.layer` passes them.
            let conv = ScaleSimLayer.Convolution(h: op["h"] + 2 * pad, w: op["w"] + 2 * pad, r: op["r"], s: op["s"],
                                                 c: op["c"], stride: stride, p: p, q: q)
            return ScaleSimLayer(convolution: conv, filters: op["k"])
        }
    Benchmark("ResNet-50's 53 convolutions, SCALE-Sim CALC report per layer, memo cold (32×32 ws, 64 KiB)",
              configuration: .init(timeUnits: .milliseconds, maxDuration: .seconds(10),
                                   maxIterations: 50)) { benchmark in
        for _ in benchmark.scaledIterations {
            let memory = coldMemory()
            for layer in layers {
                blackHole(ScaleSimModel.report(layer, rows: 32, columns: 32, dataflow: .ws, memory: memory))
            }
        }
    }

    // ResNet-50's conv1 alone (C = 3 on 32 rows: gcd(R, C) = 1), cold: the ws ifmap count by window-offset
    // class (`ScaleSimIfmapClasses`), which replaced the request-by-request replay (1.8 M requests) there.
    let conv1 = layers.filter { $0.conv?.c == 3 }
    Benchmark("ResNet-50 conv1, SCALE-Sim CALC report, memo cold (32×32 ws, 64 KiB: gcd(R, C) = 1)",
              configuration: .init(timeUnits: .milliseconds, maxDuration: .seconds(5),
                                   maxIterations: 100)) { benchmark in
        for _ in benchmark.scaledIterations {
            let memory = coldMemory()
            for layer in conv1 { blackHole(ScaleSimModel.report(layer, rows: 32, columns: 32, dataflow: .ws,
                                                                memory: memory)) }
        }
    }

    // YOLO's Conv2 (539×959 output pixels, C = 32, 64 filters) under os, cold: 298 M SRAM ifmap requests, so
    // above the request limit that once left it the per-fold estimate (2.8× the exact count); now the
    // run-by-run count (`ScaleSimIfmapRuns`) within its step allowance (`ScaleSimWork`).
    let yoloConv2 = ScaleSimLayer(convolution: .init(h: 541, w: 961, r: 3, s: 3, c: 32, stride: 1), filters: 64)
    Benchmark("YOLO Conv2 under os, SCALE-Sim CALC report, memo cold (32×32, 64 KiB: 298 M requests)",
              configuration: .init(timeUnits: .milliseconds, maxDuration: .seconds(10),
                                   maxIterations: 20)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ScaleSimModel.report(yoloConv2, rows: 32, columns: 32, dataflow: .os,
                                           memory: coldMemory()))
        }
    }
}

/// A buffer size no earlier iteration used (the memo keys on it).
final class ColdBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var words = 64 * 1024
    func next() -> Int { lock.lock(); defer { lock.unlock() }; words += 1; return words }
}
let coldBuffer = ColdBuffer()

/// scale.cfg's CALC memory (64 KiB buffers, 32 ofmap words a cycle) with an ifmap buffer no earlier iteration
/// used, so that no memoised count is reused.
func coldMemory() -> ScaleSimMemory {
    ScaleSimMemory(mode: .calc, ifmapWords: coldBuffer.next(), filterWords: 64 * 1024, ofmapWords: 64 * 1024,
                   ifmapBandwidth: 10, filterBandwidth: 10, ofmapBandwidth: 32)
}
