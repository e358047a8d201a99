/// Published "best square GEMM" throughputs: a benchmark times `torch.mm` on square
/// n × n × n products for a fixed list of n and reports the fastest. The model is run on
/// the same list and its fastest taken, so both sides are the same statistic.
///
/// These give the large-GEMM efficiency of the devices the MAMF tables do not cover
/// (T4, L4, L40S, RTX 4090) and further, independent runs of the devices they do.
/// Calibration rule, fixed before any model figure was looked at: a device without a
/// fitted `sustained_fraction` is fitted to the first row of the zzc database (file
/// order) that names it (BF16; FP16 on T4, which has no BF16 tensor cores); every other
/// row and every other benchmark is held out.
extension GEMMMeasurements {
    struct BestSquare {
        var device: String
        var file: String
        var plan: String
        /// The benchmark's sizes n (each GEMM n × n × n).
        var sizes: [Int]
        /// The fastest measured, TFLOP/s (2n³ / time).
        var tflops: Double
        /// Short run label (unique per device and plan): the database line or benchmark.
        var run: String
        var source: String
        /// What was checked about a held-out row the model misses (shown in its note).
        var finding: String? = nil
    }

    /// zzc0721/torch-performance-test-data, `database.md` at commit 9d82827 (2026-01-12), columns
    /// fp16 and bf16: `test.py` runs `torch.mm` on n = 1024, 2048, 4096, 8192, 10240 (10 warm-up
    /// calls, 30 timed, CUDA events since commit 6e2382c, wall clock with a synchronise before)
    /// and keeps the fastest n. Rows are contributors' own machines and cloud instances.
    static let zzc = "zzc0721/torch-performance-test-data database.md (9d82827, 2026-01-12), "
        + "torch.mm best of n = 1024…10240"
    static let zzcSizes = [1024, 2048, 4096, 8192, 10240]
    /// chsasank/device-benchmarks, README.md summary table at commit 7ccc883 (2025-04-15):
    /// `benchmark.py` times one `torch.matmul` per trial with `time.time()` around two
    /// synchronises, 10 trials per n, no warm-up, n = 2^(8 + i/4) up to 6888; the table keeps
    /// the fastest n.
    static let chsasank = "chsasank/device-benchmarks README.md (7ccc883, 2025-04-15), "
        + "torch.matmul best of n = 256…6888"
    static let chsasankSizes = [256, 304, 362, 430, 512, 608, 724, 861, 1024, 1217, 1448, 1722, 2048, 2435, 2896,
                                3444, 4096, 4870, 5792, 6888]   // int(2 ** (8 + i/4)), as its output lists them
    /// mli/transformers-benchmarks, README.md "Micro-Benchmarking Summary" at commit 3370b2b
    /// (2024-01-09, "add 4090 perf numbers"), row "Matrix Multiplication FP32 / FP16": the
    /// fastest of `micro_bench.ipynb`'s n = 128, 512, 2048, 8192 (median of
    /// torch.utils.benchmark's blocked_autorange over ≥ 3 s).
    static let mli = "mli/transformers-benchmarks README.md (3370b2b, 2024-01-09), a @ b best of n = 128…8192"
    static let mliSizes = [128, 512, 2048, 8192]
    /// mli/transformers-benchmarks issue 4 (2023-04-13, MingruiZhuang): the same notebook on an
    /// RTX 4090 (PyTorch 1.14.0a0, CUDA 12.0), torch.float16 row, one n each.
    static let mliIssue4 = "mli/transformers-benchmarks issue 4 (2023-04-13), micro_bench.ipynb on an RTX 4090"

    static let t4 = "nvidia-t4.yaml", l4 = "nvidia-l4.yaml", l40s = "nvidia-l40s.yaml", rtx4090 = "nvidia-rtx-4090.yaml"

    /// The rows the four devices' `sustained_fraction` is fitted to (one each).
    static let bestSquareCalibrated: [BestSquare] = [
        BestSquare(device: "T4", file: t4, plan: "fp16", sizes: zzcSizes, tflops: 41.91, run: "database.md:6",
                   source: zzc + ", line 6 (Tesla T4 16GB, Google Colab, PyTorch 2.8.0)"),
        BestSquare(device: "L4", file: l4, plan: "bf16", sizes: zzcSizes, tflops: 70.89, run: "database.md:124",
                   source: zzc + ", line 124 (L4, own machine, PyTorch 2.9.0; issue 120 gives n = 2048 as the best)"),
        BestSquare(device: "L40S", file: l40s, plan: "bf16", sizes: zzcSizes, tflops: 269.15, run: "database.md:55",
                   source: zzc + ", line 55 (L40S, docker)"),
        BestSquare(device: "RTX 4090", file: rtx4090, plan: "bf16", sizes: zzcSizes, tflops: 170.06,
                   run: "database.md:21", source: zzc + ", line 21 (RTX 4090 24GB, own machine, PyTorch 2.4.0)"),
    ]

    /// Held out: every other published run. RTX 4090 rows are the 24 GB board only (the
    /// database's 48 GB boards are third-party modifications and the 4090D has 114 SMs).
    static let bestSquareHeldOut: [BestSquare] = {
        var rows: [BestSquare] = []
        func zzcRow(_ device: String, _ file: String, _ line: Int, _ what: String, fp16: Double?, bf16: Double?) {
            for (plan, t) in [("fp16", fp16), ("bf16", bf16)] {
                guard let t else { continue }
                rows.append(BestSquare(device: device, file: file, plan: plan, sizes: zzcSizes, tflops: t,
                                       run: "database.md:\(line)", source: zzc + ", line \(line) (\(what))"))
            }
        }
        // T4: BF16 is not a T4 tensor-core format (its 2.0–2.5 TFLOP/s is a non-tensor path): FP16 only.
        zzcRow("T4", t4, 39, "Tesla T4 16GB, Kaggle, PyTorch 2.6.0", fp16: 42.71, bf16: nil)
        zzcRow("T4", t4, 68, "Tesla T4 16GB, Kaggle T4 x2, PyTorch 2.6.0", fp16: 41.93, bf16: nil)
        rows.append(BestSquare(device: "T4", file: t4, plan: "fp16", sizes: chsasankSizes, tflops: 25,
                               run: "device-benchmarks", source: chsasank + " (Nvidia T4)", finding: t4Finding))
        // L4: the calibration run's FP16 column, and another benchmark.
        zzcRow("L4", l4, 124, "L4, the calibration run's FP16 column", fp16: 68.83, bf16: nil)
        for (plan, t) in [("fp16", 65.0), ("bf16", 66.0)] {
            rows.append(BestSquare(device: "L4", file: l4, plan: plan, sizes: chsasankSizes, tflops: t,
                                   run: "device-benchmarks", source: chsasank + " (Nvidia L4)"))
        }
        // L40S: only the calibration run exists; its FP16 column.
        zzcRow("L40S", l40s, 55, "L40S, the calibration run's FP16 column", fp16: 264.02, bf16: nil)
        // RTX 4090 24GB.
        zzcRow("RTX 4090", rtx4090, 21, "RTX 4090 24GB, the calibration run's FP16 column", fp16: 165.08, bf16: nil)
        zzcRow("RTX 4090", rtx4090, 24, "RTX 4090 24GB, own machine, PyTorch 2.4.1", fp16: 171.06, bf16: 173.31)
        zzcRow("RTX 4090", rtx4090, 27, "RTX 4090 24GB, cloud docker, PyTorch 2.4.0", fp16: 162.35, bf16: 162.39)
        zzcRow("RTX 4090", rtx4090, 33, "RTX 4090 24GB, cloud instance, PyTorch 2.8.0", fp16: 167.80, bf16: 163.09)
        zzcRow("RTX 4090", rtx4090, 64, "RTX 4090, own machine, PyTorch 2.7.1", fp16: 165.94, bf16: 165.71)
        zzcRow("RTX 4090", rtx4090, 89, "RTX 4090, cloud", fp16: 168.38, bf16: 164.81)
        for (plan, t) in [("fp16", 150.0), ("bf16", 168.0)] {
            rows.append(BestSquare(device: "RTX 4090", file: rtx4090, plan: plan, sizes: chsasankSizes, tflops: t,
                                   run: "device-benchmarks", source: chsasank + " (Nvidia 4090)"))
        }
        rows.append(BestSquare(device: "RTX 4090", file: rtx4090, plan: "fp16", sizes: mliSizes, tflops: 172,
                               run: "transformers-benchmarks", source: mli + " (4090 column)"))
        rows.append(BestSquare(device: "RTX 4090", file: rtx4090, plan: "fp16", sizes: [2048], tflops: 167.112,
                               run: "issue 4, n = 2048", source: mliIssue4, finding: rtx4090Finding))
        rows.append(BestSquare(device: "RTX 4090", file: rtx4090, plan: "fp16", sizes: [8192], tflops: 158.596,
                               run: "issue 4, n = 8192", source: mliIssue4))
        // Devices whose fraction is fitted to the MAMF tables: other runs, held out.
        zzcRow("A100", a100, 13, "A100 SXM4 80GB, cloud docker, PyTorch 2.8.0", fp16: 258.74, bf16: 264.53)
        rows.append(BestSquare(device: "A100", file: a100, plan: "fp16", sizes: mliSizes, tflops: 230,
                               run: "transformers-benchmarks", source: mli + " (A100 80 GB, 2039 GB/s: SXM4)",
                               finding: a100Finding))
        zzcRow("H100", h100, 34, "H100 80GB HBM3, docker, PyTorch 2.7.0", fp16: 760.04, bf16: 797.51)
        zzcRow("H100", h100, 52, "H100 80GB HBM3, own machine", fp16: 758.14, bf16: 783.66)
        zzcRow("H200", h200, 57, "H200, docker", fp16: 759.40, bf16: 790.29)
        zzcRow("B200", b200, 3, "B200 180GB, GCP a4-highgpu-8g, PyTorch 2.8.0", fp16: 1627.64, bf16: 1696.03)
        return rows
    }()
}
