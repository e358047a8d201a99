import Foundation
import Hardware
import Testing

@testable import Reports

/// Large-GEMM efficiency from best-square benchmarks: one calibration row per device that
/// had no fitted figure, every other run held out, and the model's statistic the same as the
/// benchmark's (the fastest of its sizes).
@Suite("Large-GEMM efficiency from best-square benchmarks")
struct BestSquareValidationTests {
    static let hardware = GEMMValidationTests.hardware
    static func load(_ file: String) throws -> HardwareModel { try HardwareLoader.load(hardware + "/" + file) }

    struct Key: Hashable { var file: String, plan: String, run: String }
    static func key(_ p: GEMMMeasurements.BestSquare) -> Key { Key(file: p.file, plan: p.plan, run: p.run) }

    @Test("one calibration row per fitted device, none of them among the held-out rows")
    func apart() {
        let calibrated = GEMMMeasurements.bestSquareCalibrated
        #expect(Set(calibrated.map(\.device)) == ["T4", "L4", "L40S", "RTX 4090"])
        #expect(calibrated.count == 4)
        #expect(Set(calibrated.map(Self.key)).isDisjoint(with: GEMMMeasurements.bestSquareHeldOut.map(Self.key)))
        // Row labels are unique, so no two rows of a report or a provenance list share a name.
        let all = calibrated + GEMMMeasurements.bestSquareHeldOut
        #expect(Set(all.map(Self.key)).count == all.count)
    }

    @Test("the fitted devices' files give every executable format a sustained fraction (no default warning)")
    func noDefaultWarning() throws {
        for file in ["nvidia-t4.yaml", "nvidia-l4.yaml", "nvidia-l40s.yaml", "nvidia-rtx-4090.yaml"] {
            let model = try Self.load(file)
            #expect(!model.warnings.contains { $0.contains("sustained_fraction") }, "\(file): \(model.warnings)")
        }
    }

    @Test("the model's figure is the fastest of the benchmark's sizes")
    func bestOfSizes() throws {
        let p = try #require(GEMMMeasurements.bestSquareHeldOut.first { $0.run == "transformers-benchmarks"
                                                                         && $0.device == "RTX 4090" })
        let each = try p.sizes.map { n in
            try ModelValidation.simulatedTFLOPS(GEMMMeasurements.Point(device: p.device, file: p.file, plan: p.plan,
                                                                       m: n, n: n, k: n, tflops: 0, source: ""),
                                                device: Self.load)
        }
        #expect(try ModelValidation.bestSquareTFLOPS(p, device: Self.load) == each.max())
        // Small squares are slower: the best is not the smallest size.
        #expect(each.first! < each.max()!)
    }

    /// Held-out runs the model misses by more than 10%, each with what is known about it.
    static let knownMisses: Set<String> = [
        // 25 TFLOP/s against the database's three T4 runs at 41.9–42.7 (model 41.1: +64%). benchmark.py
        // (7ccc883) lines 35–47: per trial a fresh `a = 10 * torch.rand(n, n)` cast to fp16, then one
        // `torch.matmul(a, a)` between two synchronises under `time.time()`, the mean of 10 trials, no
        // warm-up. At the best n (6888: 26 ms a call at 25 TFLOP/s) the host timing, the first-call
        // heuristics and the launch cost under 1%, so no timing fact explains the gap; the script's FP16
        // column is low against its own BF16 column where both exist (A100 189 against 237, RTX 4090 150
        // against 168), where other benchmarks find FP16 ≈ BF16, and the T4 (70 W) has only FP16 tensor
        // cores. Matmul clocks depend on the data under a power cap (Horace He, thonking.ai 2024, A100
        // 8192³: 295 TFLOP/s on zeros, 257 on randn); not modelled (no clock figure for this run).
        // Since: a cuBLAS FP16 4096³ loop on a T4 also reads ~24 TFLOP/s, put down to the 70 W cap by
        // NVIDIA's forum answer (`GEMMMeasurements.t4Finding`); the model cannot tell the regimes apart.
        "T4 fp16 square GEMM, best of n = 256…6888 [device-benchmarks]",
        // One n (2048: 128 tiles of 128×256 on 128 SMs, one wave): the model is 10.7% slow (115 µs
        // against 103). micro_bench.ipynb times `a @ b` with torch.utils.benchmark's blocked_autorange
        // (min_run_time = 3 s), the median per call, back to back with the same a and b (warm L2); the
        // 167 TFLOP/s measured is above the 165.2 peak at the rated 2520 MHz, so the board ran above its
        // rated boost clock. In the model 10 µs of the 12 µs excess is the one wave's epilogue storing its
        // 8 MB output at its share of GDDR6X bandwidth after the mainloop; a write-back L2 (72 MB) would
        // absorb it, but XLA's H100 short-K dots (4096×4096×256) take mainloop plus write-back at HBM
        // speed, so the epilogue model is not changed on one row. Not modelled: clock above rated boost.
        // Both were since tried on every row (`GEMMMeasurements.rtx4090Finding`): the L2-resident
        // epilogue pushes H100 bf16 M = 256 (N = 2112) to +27%, the cited load clock with the 4090
        // calibration refitted pushes the device-benchmarks FP16 row to +10.0%; neither adopted.
        "RTX 4090 fp16 square GEMM, n = 2048 [issue 4, n = 2048]",
        // 230 TFLOP/s, where the 2025 runs give 259–271 (model 261: +13.6%). The notebook's walltime is
        // the median of ≥ 3 s of back-to-back torch.randn fp16 matmuls (the README's set-up: NGC
        // pytorch 22.07, CUDA 11.7), against 10 warm-up + 30 timed calls (zzc) or 100 (MAMF): the row's
        // recorded conditions (fp16, n = 128…8192, SXM4 80 GB) match the code; a 3 s sustained run under
        // the 400 W cap and the 2022 cuBLAS are the candidates, neither modelled. The run's TF32 row (116
        // of 156) is at the same 74% as its FP16 (230 of 312): run-wide, a clock (`a100Finding`).
        "A100 fp16 square GEMM, best of n = 128…8192 [transformers-benchmarks]",
    ]

    @Test("each known miss says in its note what was checked; no other row carries a finding")
    func missesSayWhy() throws {
        for p in GEMMMeasurements.bestSquareHeldOut {
            let label = ModelValidation.bestSquareLabel(p)
            #expect((p.finding != nil) == Self.knownMisses.contains(label), "\(label)")
        }
        let rows = try ModelValidation.deviceSections(device: Self.load).flatMap(\.1)
        for miss in Self.knownMisses {
            let row = try #require(rows.first { $0.quantity == miss })
            #expect(row.note.hasPrefix("miss") && row.note.hasSuffix("held out"), "\(miss): \(row.note)")
        }
    }

    @Test("calibrated rows reproduce their fit; held-out runs are within 10% but the known misses")
    func within10() throws {
        let sections = try ModelValidation.deviceSections(device: Self.load)
        let calibrated = sections.filter { $0.0.contains("calibrated, best square") }.flatMap(\.1)
        let heldOut = sections.filter { $0.0.contains("held out, best square") }.flatMap(\.1)
        #expect(calibrated.count == GEMMMeasurements.bestSquareCalibrated.count)
        #expect(heldOut.count == GEMMMeasurements.bestSquareHeldOut.count)
        #expect(calibrated.allSatisfy { $0.basis == .calibrated } && heldOut.allSatisfy { $0.basis == .heldOut })
        for row in calibrated { #expect(row.passes, "\(row.quantity): \(row.lpsim) against \(row.published)") }
        for row in heldOut where !Self.knownMisses.contains(row.quantity) {
            #expect(row.passes, "\(row.quantity): \(row.lpsim) against \(row.published) TFLOP/s")
        }
        for row in heldOut where Self.knownMisses.contains(row.quantity) {
            withKnownIssue("\(row.quantity): the model is \(Int((row.error * 100).rounded()))% off") {
                #expect(row.passes)
            }
        }
    }
}
