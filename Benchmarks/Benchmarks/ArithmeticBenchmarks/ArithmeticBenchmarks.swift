import Arithmetic
import Benchmark
import Formats

/// Emulated dot products: 256 dot products of length 4096 (1 M MACs) per
/// iteration; MACs per second = throughput × 1 048 576.
let length = 4096, rows = 256

let e4m3 = try! FormatCatalog.scalarFormat(named: "fp8_e4m3")
let fp32 = try! Minifloat(exponentBits: 8, mantissaBits: 23)

func operands(_ seed: UInt64, _ transform: (Double) -> Double) -> [Double] {
    Distribution.normal.samples(length, seed: seed).map(transform)
}

let fp8A = operands(1) { e4m3.quantize($0) }, fp8B = operands(2) { e4m3.quantize($0) }
let int8A = operands(3) { (($0 * 40).rounded()).clamped }, int8B = operands(4) { (($0 * 40).rounded()).clamped }

extension Double {
    var clamped: Double { Swift.min(127, Swift.max(-128, self)) }
}

func run(_ emulator: DotProductEmulator, _ a: [Double], _ b: [Double], _ benchmark: Benchmark) {
    for _ in benchmark.scaledIterations {
        var total = 0.0
        for _ in 0..<rows { total += emulator.dot(a, b).value }
        blackHole(total)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], timeUnits: .milliseconds,
                                           warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 20)
    Benchmark("fp8_e4m3 exact multiply, fp32 accumulate, 1M MACs") { benchmark in
        run(DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .float(fp32)), fp8A, fp8B, benchmark)
    }
    Benchmark("fp8_e4m3 L-Mul, fp32 accumulate, 1M MACs") { benchmark in
        run(DotProductEmulator(multiplier: .lmul(mantissaBits: 3), accumulator: .float(fp32)), fp8A, fp8B, benchmark)
    }
    Benchmark("int8 multiply, int32 accumulate, 1M MACs") { benchmark in
        run(DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .integer(bits: 32, saturating: false)),
            int8A, int8B, benchmark)
    }
}
