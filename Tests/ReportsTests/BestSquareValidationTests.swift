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
        // 25 TFLOP/s against the database's three T4 runs at 41.9–42.7: wall-clock timing of single
        // un-warmed calls; T4 clocks also vary with temperature under the 70 W cap. Not modelled.
        "T4 fp16 square GEMM, best of n = 256…6888 [device-benchmarks]",
        // One n (2048, 64 waves of 128×256 tiles on 128 SMs): the model is 10.7% slow; the
        // measurement is above the rated-clock peak's 97% (GPU Boost above 2520 MHz).
        "RTX 4090 fp16 square GEMM, n = 2048 [issue 4, n = 2048]",
        // 2022 software (CUDA 11.x in NGC 22.07): 230 TFLOP/s, where the 2025 runs give 259–271.
        "A100 fp16 square GEMM, best of n = 128…8192 [transformers-benchmarks]",
    ]

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
