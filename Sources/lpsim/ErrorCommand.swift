import Arithmetic
import Foundation
import ArgumentParser
import Formats

extension ErrorStudy.Scaling: ExpressibleByArgument {}

/// `lpsim error`: the numerical error a format costs on a distribution.
struct ErrorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "error",
        abstract: "Measure a format's quantization error (and optionally dot-product error) on a seeded distribution.",
        discussion: """
            Samples have zero mean and unit variance. Scalar formats are scaled per tensor \
            (amax to the format's max) unless --scaling none; block formats use their own \
            scales. --crest-factor moves the largest value of every 1024 samples so that \
            max|x|/σ hits the target. --dot-length K adds the error of K-long dot products \
            through --multiplier and --accumulator.
            """
    )

    @Option(help: "The format's name (see 'lpsim formats').")
    var format: String

    @Option(help: "normal, laplace, uniform or student-t:NU (NU > 2).")
    var distribution = "normal"

    @Option(help: "Number of samples.")
    var samples = 65_536

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Target crest factor max|x|/σ per 4096 samples.")
    var crestFactor: Double?

    @Option(help: "Scaling of scalar formats: none or absmax (per tensor).")
    var scaling: ErrorStudy.Scaling = .absmax

    @Option(help: "Dot-product length K (omit for quantization error only).")
    var dotLength: Int?

    @Option(help: "Multiplier for dot products: exact or lmul.")
    var multiplier = "exact"

    @Option(help: "Accumulator for dot products: fp32, bf16, fp16, or tc14 (14-bit aligned truncation per 32 products, as FP8 tensor cores).")
    var accumulator = "fp32"

    @Option(help: "Promote partial sums to FP32 every N products.")
    var promoteEvery: Int?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let target = try lookUpFormat(format)
            guard let dist = Distribution(parsing: distribution) else {
                throw CommandLineError(message: "unknown distribution '\(distribution)': expected normal, laplace, uniform or student-t:NU with NU > 2")
            }
            guard (1...50_000_000).contains(samples) else {
                throw CommandLineError(message: "--samples must be 1…50000000, got \(samples)")
            }
            if let k = crestFactor, !(k >= 1 && k.isFinite) {
                throw CommandLineError(message: "--crest-factor must be a finite number ≥ 1, got \(k)")
            }
            let study = ErrorStudy(format: target, distribution: dist, samples: samples, seed: seed,
                                   crestFactor: crestFactor, scaling: scaling)
            guard let quantization = study.quantizationError() else {
                throw CommandLineError(message: "crest factor \(crestFactor ?? 0) cannot be reached with one outlier per \(min(samples, ErrorStudy.crestFactorGroup)) samples (at most n/√(n−1))")
            }
            var dot: ErrorMetrics?
            if let k = dotLength {
                guard k >= 1 && k <= samples else {
                    throw CommandLineError(message: "--dot-length must be 1…\(samples), got \(k)")
                }
                dot = study.dotProductError(length: k, emulator: try emulator(for: target))
            }
            // The closed form covers normal data under the default scaling.
            let predicted = dist == .normal && crestFactor == nil && scaling == .absmax
                ? QSNRModel.predictedQSNR(target, tensorSize: samples) : nil
            if json {
                var fields: [(String, JSON)] = [
                    ("format", .string(target.name)), ("distribution", .string(dist.description)),
                    ("samples", .number(Double(samples))), ("seed", .number(Double(seed))),
                    ("crest_factor", crestFactor.map(JSON.number) ?? .null), ("scaling", .string(scaling.rawValue)),
                    ("quantization", metricsJSON(quantization)),
                    ("predicted_qsnr_db", predicted.map(JSON.number) ?? .null),
                ]
                if let dot {
                    fields += [("dot_length", .number(Double(dotLength ?? 0))), ("multiplier", .string(multiplier)),
                               ("accumulator", .string(accumulator)),
                               ("promote_every", promoteEvery.map { .number(Double($0)) } ?? .null),
                               ("dot_product", metricsJSON(dot))]
                }
                print(JSON.object(fields).rendered())
            } else {
                var rows = [row("quantization", quantization)]
                if let dot { rows.append(row("dot product (K=\(dotLength ?? 0))", dot)) }
                print("\(target.name) on \(dist) data, \(samples) samples, seed \(seed)"
                      + (crestFactor.map { ", crest factor \($0.compactString)" } ?? ""))
                print(TextTable(header: ["what", "QSNR (dB)", "mean rel. error", "max rel. error", "overflows"],
                                rows: rows).rendered())
                if let predicted {
                    print("closed-form QSNR (uniform-noise model): \(String(format2: predicted)) dB")
                }
            }
        }
    }

    func emulator(for format: NumberFormat) throws -> DotProductEmulator {
        let mul: Multiplier
        switch multiplier {
        case "exact": mul = .exact(resultFormat: nil)
        case "lmul":
            guard case .minifloat(let f) = format.elementFormat else {
                throw CommandLineError(message: "--multiplier lmul needs a floating-point format, not \(format.name)")
            }
            mul = .lmul(mantissaBits: f.mantissaBits)
        default:
            throw CommandLineError(message: "unknown multiplier '\(multiplier)': expected exact or lmul")
        }
        let acc: Accumulator
        switch accumulator {
        case "tc14": acc = .alignedTruncating(keptBits: 14, groupSize: 32)
        default:
            guard case .scalar(.minifloat(let f))? = try? FormatCatalog.format(named: accumulator) else {
                throw CommandLineError(message: "unknown accumulator '\(accumulator)': expected fp32, bf16, fp16 or tc14")
            }
            acc = .float(f)
        }
        if let n = promoteEvery, n < 1 { throw CommandLineError(message: "--promote-every must be ≥ 1") }
        return DotProductEmulator(multiplier: mul, accumulator: acc, promotionInterval: promoteEvery)
    }

    func row(_ what: String, _ m: ErrorMetrics) -> [String] {
        [what, String(format2: m.qsnrDecibels), String(sci: m.meanRelativeError), String(sci: m.maxRelativeError),
         String(m.overflowCount)]
    }

    func metricsJSON(_ m: ErrorMetrics) -> JSON {
        .object([("qsnr_db", .number(m.qsnrDecibels)), ("mean_relative_error", .number(m.meanRelativeError)),
                 ("max_relative_error", .number(m.maxRelativeError)), ("overflows", .number(Double(m.overflowCount))),
                 ("count", .number(Double(m.count)))])
    }
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
