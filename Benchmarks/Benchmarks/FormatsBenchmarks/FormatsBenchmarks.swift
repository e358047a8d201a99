import Benchmark
import Foundation
import Arithmetic
import Formats

/// Bulk conversion throughput of the Formats module on 1 M values.
///
/// Each benchmark converts the same 1 M float32 values drawn from a seeded
/// normal distribution (σ = 1, so that every binade of FP8 is exercised)
/// and reports throughput; divide scaledIterations × 1 M by wall time for
/// values per second (see Benchmarks/README.md).
let valueCount = 1 << 20

/// 1 M normally distributed floats (Box–Muller over SplitMix64, seed 1).
let inputs: [Float] = {
    var rng = SplitMix64(seed: 1)
    return (0..<valueCount).map { _ in
        let u1 = Double(rng.next() >> 11) * 0x1p-53 + 0x1p-54
        let u2 = Double(rng.next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}()

let e4m3: Minifloat = {
    guard case .scalar(.minifloat(let f)) = try! FormatCatalog.format(named: "fp8_e4m3") else { fatalError() }
    return f
}()

let mxfp4: BlockFormat = {
    guard case .block(let f) = try! FormatCatalog.format(named: "mxfp4") else { fatalError() }
    return f
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 2,
        maxDuration: .seconds(3),
        maxIterations: 50
    )

    Benchmark("fp32 → fp8_e4m3 encode, 1M values") { benchmark in
        var codes = [UInt8](repeating: 0, count: valueCount)
        benchmark.startMeasurement()
        inputs.withUnsafeBufferPointer { input in
            codes.withUnsafeMutableBufferPointer { output in
                e4m3.encode(input, into: output)
            }
        }
        benchmark.stopMeasurement()
        blackHole(codes)
    }

    Benchmark("fp8_e4m3 → fp32 decode, 1M values") { benchmark in
        let table = DecodeTable(e4m3)
        let codes: [UInt8] = inputs.map { UInt8(e4m3.encodeNearestEven(Double($0))) }
        var output = [Float](repeating: 0, count: valueCount)
        benchmark.startMeasurement()
        codes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in table.decode(input, into: out) }
        }
        benchmark.stopMeasurement()
        blackHole(output)
    }

    Benchmark("fp32 → mxfp4 quantize, 1M values") { benchmark in
        let values = inputs.map(Double.init)
        benchmark.startMeasurement()
        let encoding = mxfp4.encode(values)
        benchmark.stopMeasurement()
        blackHole(encoding)
    }

    // The float32 bulk kernel (issue 19: ≥ 300 M values/s per core): quantise and dequantise 1 M floats.
    for name in ["mxfp4", "mxfp8_e4m3", "mxint8", "mxint8@ceil", "nvfp4"] {
        Benchmark("fp32 → \(name) quantize (Float32Kernel), 1M values") { benchmark in
            guard case .block(let b) = try! FormatCatalog.format(named: name), let kernel = b.float32Kernel
            else { fatalError(name) }
            let ts = b.tensorScale(for: inputs.map(Double.init))
            var output = [Float](repeating: 0, count: valueCount)
            benchmark.startMeasurement()
            inputs.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { kernel.quantize(input, tensorScale: ts, into: $0) }
            }
            benchmark.stopMeasurement()
            blackHole(output)
        }
    }

    // The float32 QSNR path `lpsim error --tensors` uses per chunk.
    for name in ["mxfp4", "nvfp4", "int8"] {
        Benchmark("\(name) QSNR of one 1M-value float32 chunk (signalNoise(float:))") { benchmark in
            let format = try! FormatCatalog.format(named: name)
            let amax = inputs.reduce(0.0) { max($0, Double(abs($1))) }
            benchmark.startMeasurement()
            inputs.withUnsafeBufferPointer { blackHole(format.signalNoise(float: $0, tensorAmax: amax)) }
            benchmark.stopMeasurement()
        }
    }

    // The work of `lpsim error --tensors` per chunk: quantise and sum signal and noise.
    for name in ["mxfp4", "nvfp4", "mxint8@ceil", "int8"] {
        Benchmark("\(name) QSNR of one 1M-value chunk (signalNoise)") { benchmark in
            let values = inputs.map(Double.init)
            let format = try! FormatCatalog.format(named: name)
            let amax = values.reduce(0) { max($0, abs($1)) }
            benchmark.startMeasurement()
            blackHole(format.signalNoise(values, tensorAmax: amax))
            benchmark.stopMeasurement()
        }
    }
}
