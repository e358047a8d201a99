import Arithmetic
import Foundation
import ArgumentParser
import Formats

extension ErrorStudy.Scaling: ExpressibleByArgument {}

/// `lpsim error`: the numerical error a format costs on a distribution (or
/// on a checkpoint's own tensors with `--tensors`).
struct ErrorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "error",
        abstract: "Measure a format's quantization error, and the error of dot products on a device's arithmetic.",
        discussion: """
            Samples have zero mean and unit variance. Scalar formats are scaled per tensor \
            (amax to the format's max) unless --scaling none; block formats use their own \
            scales (MX scales by the OCP v1.0 floor rule unless --scale-rule ceil, the \
            round-up rule of arXiv 2510.25602; the rule is named in the output). \
            --crest-factor K makes max|x|/σ equal K in every group of --crest-group samples \
            (default 4096): by moving each group's largest value, or by clipping the group \
            where that cannot reach a low target; the crest factors reached are reported. \
            --dot-length K adds K-long dot products through --multiplier and --accumulator, \
            with the error split by source: input quantization (exact dot products of the \
            quantized operands against the data's), multiplication (exact sums of the \
            multiplier's products against exact products), accumulation (the accumulator \
            against the exact sum of the same products) and the output (all of it). \
            --tensors FILE measures the formats on a .safetensors, .npy or .npz file instead. \
            --gemm-tile N with --dot-length K measures the accumulation error of an N×N tile of A·Bᵀ \
            (DeepSeek-V3's test: --format fp8_e4m3 --accumulator tc14 --dot-length 4096 --gemm-tile 128 \
            --data-format bf16, with and without --promote-every 128).
            """
    )

    @Option(help: "The format's name (see 'lpsim formats'); with --tensors, a comma-separated list.")
    var format: String

    @Option(help: "The inputs' format for dot products (default: --format).")
    var inputFormat: String?

    @Option(help: "MX scale rule: floor (OCP MX v1.0) or ceil (round-up, arXiv 2510.25602).")
    var scaleRule: String?

    @Option(help: "normal, laplace, uniform or student-t:NU (NU > 2).")
    var distribution = "normal"

    @Option(help: "Number of samples.")
    var samples = 65_536

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Target crest factor max|x|/σ in every group of --crest-group samples.")
    var crestFactor: Double?

    @Option(help: "Samples per crest-factor group (2…samples).")
    var crestGroup = ErrorStudy.crestFactorGroup

    @Option(help: "Scaling of scalar formats: none or absmax (per tensor).")
    var scaling: ErrorStudy.Scaling = .absmax

    @Option(help: "Dot-product length K (omit for quantization error only).")
    var dotLength: Int?

    @Option(help: """
        Multiplier: exact; lmul (L-Mul as an integer adder computes it, a carry into the exponent, \
        arXiv 2410.00907 Fig. 2); lmul-eq (L-Mul as its Eq. 3 reads, the significand sum kept).
        """)
    var multiplier = "exact"

    @Option(help: """
        Accumulator: a float format (fp32, bf16, fp16, e5m7…); tc14 or keptN (aligned truncation to N bits \
        per 32 products, as FP8 tensor cores); intN (N-bit integer, 2…62, of scalar integer codes); exact \
        (a fixed-point accumulator wide enough for every product, as FPGA LUT minifloat MACs).
        """)
    var accumulator = "fp32"

    @Option(help: "What an integer accumulator does on overflow: wrap or saturate.")
    var accumulatorOverflow = "wrap"

    @Option(help: "Promote partial sums to FP32 every N products.")
    var promoteEvery: Int?

    @Option(help: "A .safetensors, .npy or .npz file whose tensors to measure (QSNR per tensor and overall).")
    var tensors: String?

    @Option(help: """
        With --dot-length K: the accumulation error of an N×N output tile of A·Bᵀ, A and B (N×K) drawn \
        from --distribution and quantised to --format (see docs/numerics-reproductions.md).
        """)
    var gemmTile: Int?

    @Option(help: "With --gemm-tile: round the random matrices to this scalar format first (bf16, as DeepGEMM).")
    var dataFormat: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            if let gemmTile { return try runGEMMTile(gemmTile) }
            guard dataFormat == nil else { throw CommandLineError(message: "--data-format needs --gemm-tile") }
            if let tensors { return try TensorErrorReport(command: self).run(file: tensors) }
            let target = try resolvedFormat(format)
            let inputTarget = try inputFormat.map(resolvedFormat) ?? target
            guard let dist = Distribution(parsing: distribution) else {
                throw CommandLineError(message: "unknown distribution '\(distribution)': expected normal, laplace, uniform or student-t:NU with NU > 2")
            }
            guard (1...50_000_000).contains(samples) else {
                throw CommandLineError(message: "--samples must be 1…50000000, got \(samples)")
            }
            if let k = crestFactor, !(k >= 1 && k.isFinite) {
                throw CommandLineError(message: "--crest-factor must be a finite number ≥ 1, got \(k)")
            }
            guard crestGroup >= 2 else { throw CommandLineError(message: "--crest-group must be ≥ 2, got \(crestGroup)") }
            let study = ErrorStudy(format: target, distribution: dist, samples: samples, seed: seed,
                                   crestFactor: crestFactor, scaling: scaling, crestGroup: crestGroup)
            guard let data = study.data() else {
                let n = min(samples, crestGroup)
                throw CommandLineError(message: "crest factor \(crestFactor ?? 0) cannot be reached in groups of \(n) samples (one outlier among n gives at most n/√(n−1) = \(String(format2: Double(n) / Double(n - 1).squareRoot())))")
            }
            let quantization = ErrorMetrics(reference: data, approximate: study.quantize(data))
            let reached = crestFactor.map { _ in crestFactors(of: data, blockSize: min(samples, crestGroup)) }
            var dot: DotProductErrors?, device: DeviceArithmetic?, warnings: [String] = []
            if let k = dotLength {
                guard k >= 1 && k <= samples else {
                    throw CommandLineError(message: "--dot-length must be 1…\(samples), got \(k)")
                }
                let d = try deviceArithmetic()
                device = d
                let count = samples / k
                let inputs = Array(dist.samples(samples, seed: seed &+ 1).prefix(count * k))
                do throws(DotProductSetupError) {
                    dot = try DotProductErrors.measure(weights: Array(data.prefix(count * k)), inputs: inputs, length: k,
                                                       weightFormat: target, inputFormat: inputTarget, device: d)
                } catch { throw CommandLineError(message: error.description) }
                warnings += widthWarnings(d, target, inputTarget, k)
            }
            // The closed form covers normal data under the default scaling.
            let predicted = dist == .normal && crestFactor == nil && scaling == .absmax
                ? QSNRModel.predictedQSNR(target, tensorSize: samples) : nil
            var stderr = StandardError()
            for w in warnings { print("warning: \(w)", to: &stderr) }
            if json {
                var fields: [(String, JSON)] = [
                    ("format", .string(target.name)), ("distribution", .string(dist.description)),
                    ("samples", .number(Double(samples))), ("seed", .number(Double(seed))),
                    ("crest_factor", crestFactor.map(JSON.number) ?? .null), ("scaling", .string(scaling.rawValue)),
                    ("scale_rule", scaleRuleName(target).map(JSON.string) ?? .null),
                    ("quantization", metricsJSON(quantization)),
                    ("predicted_qsnr_db", predicted.map(JSON.number) ?? .null),
                ]
                if let reached {
                    fields += [("crest_group", .number(Double(min(samples, crestGroup)))),
                               ("crest_factor_reached", .object([("min", .number(reached.min() ?? 0)),
                                                                 ("max", .number(reached.max() ?? 0))]))]
                }
                if let dot, let device {
                    fields += [("dot_length", .number(Double(dotLength ?? 0))), ("input_format", .string(inputTarget.name)),
                               ("multiplier", .string(multiplier)), ("multiplier_model", .string(device.multiplier.description)),
                               ("accumulator", .string(accumulator)), ("accumulator_model", .string(device.accumulator.description)),
                               ("promote_every", promoteEvery.map { .number(Double($0)) } ?? .null),
                               ("dot_product", metricsJSON(dot.output)),
                               ("sources", .object([("input_quantization", metricsJSON(dot.inputQuantization)),
                                                    ("multiplication", metricsJSON(dot.multiplication)),
                                                    ("accumulation", metricsJSON(dot.accumulation)),
                                                    ("output", metricsJSON(dot.output))])),
                               ("weight_qsnr_db", .number(dot.weight.qsnrDecibels)),
                               ("output_qsnr_db", .number(dot.output.qsnrDecibels)),
                               ("overflow_probability", .number(dot.overflowProbability))]
                }
                fields.append(("warnings", .array(warnings.map(JSON.string))))
                print(JSON.object(fields).rendered())
                return
            }
            var rows = [row("quantization", quantization)]
            if let dot, let k = dotLength {
                rows += [row("dot product (K=\(k))", dot.output), row("  input quantization", dot.inputQuantization),
                         row("  multiplication", dot.multiplication), row("  accumulation", dot.accumulation)]
            }
            print("\(target.name) on \(dist) data, \(samples) samples, seed \(seed)"
                  + (crestFactor.map { ", crest factor \($0.compactString) per \(min(samples, crestGroup))" } ?? ""))
            if let rule = scaleRuleName(target) { print("scales: \(rule)") }
            if let device {
                print("multiplier: \(device.multiplier); accumulator: \(device.accumulator)"
                      + (device.promotionInterval.map { ", promoted to FP32 every \($0)" } ?? ""))
            }
            print(TextTable(header: ["what", "QSNR (dB)", "mean rel. error", "max rel. error", "overflows"],
                            rows: rows).rendered())
            if let reached, let lo = reached.min(), let hi = reached.max() {
                print("crest factor reached: \(String(format: "%.4f", lo))…\(String(format: "%.4f", hi)) over \(reached.count) groups")
            }
            if let predicted {
                print("closed-form QSNR (uniform-noise model): \(String(format2: predicted)) dB")
            }
        }
    }

    /// A format by name under `--scale-rule`.
    func resolvedFormat(_ name: String) throws -> NumberFormat {
        let f = try lookUpFormat(name)
        guard let rule = scaleRule else { return f }
        let parsed: BlockFormat.ScaleRule
        switch rule {
        case "floor", "ocp": parsed = .sharedExponent
        case "ceil", "round-up": parsed = .sharedExponentRoundUp
        default: throw CommandLineError(message: "unknown --scale-rule '\(rule)': expected floor (OCP MX v1.0) or ceil (arXiv 2510.25602)")
        }
        guard case .block(let b) = f, b.rule != .absMax else { return f }
        do throws(FormatError) { return .block(try b.withScaleRule(parsed)) } catch {
            throw CommandLineError(message: error.description)
        }
    }

    func row(_ what: String, _ m: ErrorMetrics) -> [String] {
        [what, String(format2: m.qsnrDecibels), String(sci: m.meanRelativeError), String(sci: m.maxRelativeError),
         String(m.overflowCount)]
    }
}

/// The scale rule a format uses, named for outputs; nil for scalar formats.
func scaleRuleName(_ format: NumberFormat) -> String? {
    guard case .block(let b) = format else { return nil }
    return b.rule.displayName
}

func metricsJSON(_ m: ErrorMetrics) -> JSON {
    .object([("qsnr_db", .number(m.qsnrDecibels)), ("mean_relative_error", .number(m.meanRelativeError)),
             ("max_relative_error", .number(m.maxRelativeError)), ("overflows", .number(Double(m.overflowCount))),
             ("count", .number(Double(m.count)))])
}

extension String {
    /// Two decimals (Foundation's `String(format:)` with no locale is not
    /// localised); ±inf and nan spelled out.
    init(format2 x: Double) {
        if !x.isFinite { self = x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf"); return }
        self = String(format: "%.2f", x)
    }

    /// Three significant digits.
    init(sci x: Double) {
        if !x.isFinite { self = String(format2: x); return }
        self = String(format: "%.3g", x)
    }
}
