import Arithmetic
import Foundation
import Formats

extension ErrorCommand {
    /// `--gemm-tile N`: the accumulation error of an N×N output tile of A·Bᵀ
    /// with A and B (N × --dot-length) drawn from --distribution (seeds
    /// --seed and --seed + 1), first rounded to --data-format when given
    /// (DeepGEMM's random matrices are bf16), then quantised to --format
    /// under one per-tensor scale and accumulated by --accumulator.
    func runGEMMTile(_ tile: Int) throws {
        guard let k = dotLength, k >= 1 else {
            throw CommandLineError(message: "--gemm-tile needs --dot-length K ≥ 1")
        }
        guard (1...1024).contains(tile) else {
            throw CommandLineError(message: "--gemm-tile must be 1…1024, got \(tile)")
        }
        guard k <= 50_000_000 / tile else {
            throw CommandLineError(message:
                "--gemm-tile \(tile) × --dot-length \(k) is more than 50000000 values per matrix")
        }
        guard inputFormat == nil, crestFactor == nil, tensors == nil else {
            throw CommandLineError(message: "--gemm-tile quantises both matrices to --format; "
                                   + "it takes no --input-format, --crest-factor or --tensors")
        }
        guard let dist = Distribution(parsing: distribution) else {
            throw CommandLineError(message: "unknown distribution '\(distribution)': "
                                   + "expected normal, laplace, uniform or student-t:NU with NU > 2")
        }
        let target = try resolvedFormat(format)
        guard case .scalar(.minifloat) = target else {
            throw CommandLineError(message: "--gemm-tile needs a scalar floating-point --format "
                                   + "(fp8_e4m3, fp8_e5m2…), got \(target.name)")
        }
        var round: (Double) -> Double = { $0 }
        if let name = dataFormat {
            guard case .scalar(let f) = try lookUpFormat(name) else {
                throw CommandLineError(message:
                    "--data-format must be a scalar format (bf16, fp16, fp32…), got \(name)")
            }
            round = { f.quantize($0) }
        }
        let device = try deviceArithmetic()
        let a = dist.samples(tile * k, seed: seed).map(round)
        let b = dist.samples(tile * k, seed: seed &+ 1).map(round)
        let t: GEMMTileErrors
        do throws(DotProductSetupError) {
            t = try GEMMTileErrors.measure(a: a, b: b, rows: tile, columns: tile, length: k,
                                           format: target, device: device)
        } catch { throw CommandLineError(message: error.description) }
        if json {
            print(JSON.object([
                ("format", .string(target.name)), ("distribution", .string(dist.description)),
                ("data_format", dataFormat.map(JSON.string) ?? .null), ("seed", .number(Double(seed))),
                ("gemm_tile", .number(Double(tile))), ("dot_length", .number(Double(k))),
                ("multiplier", .string(multiplier)), ("multiplier_model", .string(device.multiplier.description)),
                ("accumulator", .string(accumulator)), ("accumulator_model", .string(device.accumulator.description)),
                ("promote_every", promoteEvery.map { .number(Double($0)) } ?? .null),
                ("max_error_over_row_rms", .number(t.maxErrorOverRowRMS)),
                ("normwise_relative_error", .number(t.normwise)),
                ("accumulation", metricsJSON(t.accumulation)),
            ]).rendered())
            return
        }
        print("\(tile)×\(tile) tile of A·Bᵀ, K = \(k): \(dist) data"
              + (dataFormat.map { " rounded to \($0)" } ?? "")
              + ", seeds \(seed) and \(seed &+ 1), \(target.name) per tensor")
        print("multiplier: \(device.multiplier); accumulator: \(device.accumulator)"
              + (device.promotionInterval.map { ", promoted to FP32 every \($0)" } ?? ""))
        print("accumulation error against the exact sum of the same products:")
        print(TextTable(header: ["max error / row RMS", "norm-wise", "QSNR (dB)", "element-wise max rel. error"],
                        rows: [[String(sci: t.maxErrorOverRowRMS), String(sci: t.normwise),
                                String(format2: t.accumulation.qsnrDecibels),
                                String(sci: t.accumulation.maxRelativeError)]]).rendered())
    }
}
