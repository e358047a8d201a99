import Foundation
import Hardware
import Simulator
import Testing
import Workload

@testable import Reports

/// The GPU model against published GEMM timings, with fitted and held-out
/// data kept apart: a calibration point is never counted as a check.
@Suite("GEMM validation: calibrated, held-out and other-stack rows apart")
struct GEMMValidationTests {
    static let hardware = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("hardware").path

    static func sections() throws -> [(String, [ModelValidation.Row])] {
        try ModelValidation.deviceSections { try HardwareLoader.load(hardware + "/" + $0) }
    }

    struct Key: Hashable { var device: String, plan: String, m: Int, n: Int, k: Int }
    static func keys(_ points: [GEMMMeasurements.Point]) -> Set<Key> {
        Set(points.map { Key(device: $0.device, plan: $0.plan, m: $0.m, n: $0.n, k: $0.k) })
    }

    @Test("no held-out shape is a calibration point, and XLA's dots are not among the held-out rows")
    func apart() {
        let fitted = Self.keys(GEMMMeasurements.largeGEMM + GEMMMeasurements.shortestKernel)
        #expect(Self.keys(GEMMMeasurements.heldOut).isDisjoint(with: fitted))
        #expect(GEMMMeasurements.heldOut.allSatisfy { !$0.source.contains("xla") })
        #expect(GEMMMeasurements.xla.allSatisfy { $0.source.contains("xla") })
        // The only XLA figure the model uses is a calibration (min_kernel_time), not a check.
        #expect(GEMMMeasurements.shortestKernel.allSatisfy { $0.source.contains("xla") })
    }

    @Test("each section's rows carry its basis: calibrated, held-out or other stack")
    func bases() throws {
        let sections = try Self.sections()
        func basis(_ prefix: String) -> Set<ModelValidation.Basis> {
            Set(sections.filter { $0.0.hasPrefix(prefix) }.flatMap(\.1).map(\.basis))
        }
        #expect(basis("Shortest GEMM kernel") == [.calibrated])
        #expect(basis("GEMM shape sweep") == [.heldOut])
        #expect(basis("Another software stack") == [.otherStack])
        // H200 FP8 is measured but not fitted (the file inherits the H100's fraction).
        #expect(basis("Large-GEMM efficiency") == [.calibrated, .heldOut])
    }

    /// The held-out rows the model misses, each with what was found about it (reports/model-validation.md).
    static let knownMisses: Set<String> = [
        // vLLM's CUTLASS FP8 kernel on B200 at M = 256: the model is 26% fast (7.5 µs against 9.46 µs).
        // bench_fp8_gemm.py's noquant branch times cutlass_scaled_mm alone (scales and quantised operands
        // made before the timed closure) with triton's do_bench_cudagraph (graph-replayed back-to-back
        // calls, no L2 flush). Measured times (2MNK / TFLOP/s) are 5.97, 5.84, 6.03, 6.31, 9.46, 14.0,
        // 22.0 µs for M = 1…1024, and a vLLM PR 20071 table (M = 128 and 256 within 1% of PR 19566's)
        // gives M = 192 the M = 256 time: flat for M ≤ 128, a 3.2 µs step above, the step of one wave's
        // per-SM mainloop (2.9 → 5.8 µs: 96 of 148 SMs busy with 128-row tiles at 0.76 of peak, whatever
        // the tile list). The model overlaps its fixed time (min_kernel_time) with the work, so at M = 256
        // only the mainloop, latencies and the last tile's store remain. A serial fixed time refitted on
        // XLA's 256³ (3.6–3.7 µs), with warm-L2 operands for these do_bench_cudagraph rows, puts every B200
        // FP8 row within 22% but moves H100 bf16 M = 1 and 16 (N = 2112) to +40% and +33% and B200 bf16
        // M = 256 to −30%: it needs L2 bandwidths and a sub-wave stream-K nobody has published; not adopted.
        "B200 fp8 256×6144×4096 GEMM",
        // cuBLAS 256³ fp16 on an H100 (triton issue 3672, tutorial 03, do_bench: 8.16 µs a call, L2 flushed):
        // the model takes 5.7 µs (+43% in TFLOP/s). Its floor is fitted on XLA's 256³ kernel (5.2 µs, CUPTI,
        // XLA's own kernel choice); the gap is event/queue overhead, cold-L2 start or cuBLAS's kernel — which,
        // nothing published says. Issue 15's bound "no faster than published cuBLAS measurements allow" fails,
        // though loosely: the same run's 1024³ call (17.7 µs) is twice XLA's kernel-only 1024³ (9.1 µs).
        "H100 fp16 256×256×256 GEMM",
    ]

    @Test("every held-out cuBLAS/CUTLASS shape is within 25% but the known misses, which stay misses")
    func heldOutWithin25() throws {
        let rows = try Self.sections().filter { $0.0.hasPrefix("GEMM shape sweep") }.flatMap(\.1)
        #expect(rows.count == GEMMMeasurements.heldOut.count)
        for row in rows where !Self.knownMisses.contains(row.quantity) {
            #expect(row.passes, "\(row.quantity): \(row.lpsim) against \(row.published) TFLOP/s")
        }
        for row in rows where Self.knownMisses.contains(row.quantity) {
            withKnownIssue("\(row.quantity): the model is \(Int((row.error * 100).rounded()))% off") {
                #expect(row.passes)
            }
        }
    }

    @Test("the CUTLASS rows run with the kernel's persistent scheduler; with the file's stream-K B200 M = 1024 is over 20% fast")
    func cutlassScheduler() throws {
        let cutlass = GEMMMeasurements.heldOut.filter { $0.source.contains("CUTLASS") }
        #expect(!cutlass.isEmpty && cutlass.allSatisfy { $0.streamK == false })
        let p = try #require(cutlass.first { $0.device == "B200" && $0.m == 1024 })
        let b200 = try HardwareLoader.load(Self.hardware + "/nvidia-b200.yaml")
        #expect((b200.spec as? GPUFamily)?.latency.streamK == true, "the file describes cuBLAS (stream-K)")
        let trace = Trace(name: "g", ops: [Op(name: "g", kind: .gemm, dims: ["m": p.m, "n": p.n, "k": p.k])])
        let r = try Simulator(hardware: b200, plan: try PrecisionPlan.load(p.plan)).run(trace)
        let streamK = r.macs * 2 / r.seconds / 1e12
        // 192 tiles of 256×128 on 148 SMs: stream-K counts 1.3 waves, the persistent scheduler runs 2.
        #expect(streamK / p.tflops - 1 > 0.2, "\(streamK) TFLOP/s with stream-K against \(p.tflops) measured")
        let all = try Self.sections().flatMap(\.1)
        let row = try #require(all.first { $0.quantity == "B200 fp8 1024×6144×4096 GEMM" })
        #expect(row.passes && row.lpsim < streamK, "\(row.lpsim)")
    }
}

/// The reader of `scripts/gpu/measure_h200.py`'s CSV files (no H200 measurement is committed yet).
@Suite("measured GPU CSV files")
struct MeasuredCSVTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test("the script writes the headers the reader expects")
    func headersMatchScript() throws {
        let script = try String(contentsOfFile: Self.root + "/scripts/gpu/measure_h200.py", encoding: .utf8)
        for header in [ModelValidation.gemmHeader, ModelValidation.stepHeader] {
            let quoted = header.split(separator: ",").map { "\"\($0)\"" }.joined(separator: ", ")
            #expect(script.contains("[\(quoted)]"), "\(header)")
        }
    }

    @Test("rows as the script writes them become points; a bad header or number is an error with its position")
    func parse() throws {
        let csv = ModelValidation.gemmHeader + "\nH200,nvidia-h200-sxm.yaml,bf16,1,4096,4096,2.5,m\n"
            + "H200,nvidia-h200-sxm.yaml,fp8,4096,4096,4096,1200,m\n"
        let points = try ModelValidation.gemmPoints(csv: csv, file: "g.csv")
        #expect(points.count == 2 && points[1].plan == "fp8" && points[1].tflops == 1200 && points[0].m == 1)
        #expect(throws: ModelValidation.MeasurementError.self) {
            try ModelValidation.gemmPoints(csv: "device,plan\n", file: "g.csv")
        }
        do {
            let bad = ModelValidation.gemmHeader + "\nH200,f,bf16,1,x,4,2,m\n"
            _ = try ModelValidation.gemmPoints(csv: bad, file: "g.csv")
            Issue.record("a non-number was read")
        } catch let error as ModelValidation.MeasurementError {
            #expect(error.description == "g.csv:2:15: error: expected a positive number, got 'x'")
        }
        let steps = try ModelValidation.measuredSteps(
            csv: ModelValidation.stepHeader
                + "\nH200,nvidia-h200-sxm.yaml,workloads/llama-2-7b-decode-2048.yaml,bf16,0.0061,m\n",
            file: "s.csv")
        #expect(steps.count == 1 && steps[0].seconds == 0.0061)
    }

    @Test("without a committed measurement the validation names the GPU as not measured, with no empty section")
    func missing() throws {
        let (sections, missing) = try ModelValidation.measuredSections(hardwareDirectory: Self.root + "/hardware")
        if FileManager.default.fileExists(atPath: Self.root + "/measurements/h200/gemm.csv") {
            #expect(missing.isEmpty && sections.count == 1 && !sections[0].1.isEmpty)
        } else {
            #expect(missing == ["H200"] && sections.isEmpty)
        }
    }
}
