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
        // vLLM's CUTLASS FP8 kernel on B200, less than one wave of tiles: the model is 27% and 36% fast.
        // CUTLASS's sm100 builder runs KernelScheduleAuto as the 2-SM MMA when the cluster's M is even and
        // the tile's M a multiple of 128 (`sm100_make_trivial_tiled_mma`). Mechanism found, not modelled:
        // the measured times (2MNK / TFLOP/s) are 5.97, 5.84, 6.03, 6.31, 9.46, 14.0, 22.0 µs for
        // M = 1…1024, and a table in vLLM PR 20071 whose M = 128 and 256 figures match PR 19566's within
        // 1% gives M = 192 the M = 256 time (1019.7 TFLOP/s, 9.5 µs): flat for M ≤ 128, a step above.
        // With the dispatch of vLLM commit 85d7e25
        // (PR 18778: M ≤ 64 64×64×256 1-SM, M ≤ 128 128×128×64 2-SM, else 256×128×64 2-SM; which configs
        // PR 19566 ran is not recorded) one wave's per-SM mainloop at the file's 0.76 is 1.45, 1.45, 1.45,
        // 2.91, 5.81, 11.6 (2 waves), 17.4 µs (3): measured − mainloop = 4.5, 4.4, 4.6, 3.4, 3.7, 2.4, 4.6 µs,
        // a fixed time in series with the mainloop (near the 4.46 µs min_kernel_time fitted to XLA's 256³,
        // which the model overlaps instead). bench_fp8_gemm.py times with do_bench_cudagraph, which does
        // not flush L2, so the 25 MB of FP8 weights stay in the B200's L2 and the model's cold-HBM time
        // (≈ 5 µs at M ≤ 128) stands in for that fixed time by chance. Not modelled: it needs the
        // measured kernel's tiles (unknown for PR 19566), warm-L2 operands (a benchmark artefact) and a
        // kernel-specific serial fixed time that nothing independent of these rows gives.
        "B200 fp8 128×6144×4096 GEMM", "B200 fp8 256×6144×4096 GEMM",
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

    @Test("the CUTLASS rows run with the kernel's persistent scheduler; with the file's stream-K B200 M = 1024 misses")
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
        #expect(streamK / p.tflops - 1 > 0.25, "\(streamK) TFLOP/s with stream-K against \(p.tflops) measured")
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
