import DesignSpace
import Documents
import Foundation
import Testing

/// The sweep specification: ranges, key paths, row round trips.
@Suite struct SweepSpecTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func spec(_ axes: String) throws -> SweepSpec {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString).yaml")
        try """
            hardware: \(Self.root)/hardware/scale-sim-32x32.yaml
            axes:
            \(axes)
              - workload: [\(Self.root)/workloads/resnet18-scalesim-layers.yaml]
            """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try SweepSpec.load(file.path)
    }

    @Test func rangesAreLinearOrGeometricWithTheirUnit() throws {
        let s = try spec("""
              - systolic.rows: {from: 8, to: 256, factor: 2}
              - clock: {from: 500 MHz, to: 1000 MHz, step: 250}
            """)
        #expect(s.axes[1].labels == ["8", "16", "32", "64", "128", "256"])
        #expect(s.axes[2].labels == ["500 MHz", "750 MHz", "1000 MHz"])
        #expect(s.count == 18)
    }

    @Test func aMemoryLevelIsNamedAndItsValueReachesTheModel() throws {
        let s = try spec("  - memory[DRAM].bandwidth: [1 GB/s, 100 GB/s]\n  - precision: [int8]")
        let rows = try SweepEvaluator(s).evaluate([0, 1])
        #expect(rows[0].status == .ok && rows[1].status == .ok)
        #expect(rows[0][.latency] > rows[1][.latency])
        #expect(throws: Diagnostic.self) { try spec("  - memory[HBM].bandwidth: [20 GB/s]") }
        #expect(throws: Diagnostic.self) { try spec("  - gpu.sms: [4]") }
        #expect(throws: Diagnostic.self) { try spec("  - systolic.buffers.filterr: [4 KiB]") }
    }

    @Test func aCombinationTheDeviceCannotRunIsARowThatSaysSo() throws {
        // fp16 is not among the 32×32 array's formats: every point is not-run, with the simulator's reason.
        let s = try spec("  - precision: [int8, bf16]")
        let rows = try SweepEvaluator(s).evaluate([0, 1])
        #expect(rows[0].status == .ok && rows[1].status == .notRun && !rows[1].reason.isEmpty)
    }

    @Test func aRowReadsBackExactly() throws {
        var row = SweepRow(index: 7, status: .rejected, reason: "power 3 W > 2 W, \"quoted\"")
        row[.latency] = 0.1 + 0.2
        row[.energy] = 1e-300
        row.bound = "memory"
        let line = row.csvLine(labels: ["a,b", "8"])
        let back = try #require(SweepRow.parse(csv: line.dropLast(), axisCount: 2))
        #expect(back.index == 7 && back.reason == row.reason && back.bound == "memory")
        #expect(back[.latency] == row[.latency] && back[.energy] == row[.energy] && back[.area].isNaN)
    }
}

/// A plan's overrides are checked against the workloads it actually runs with.
@Suite struct SweepOverrideWarningTests {
    func spec(_ axes: String, plan: String) throws -> SweepSpec {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ov-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try plan.write(to: dir.appendingPathComponent("plan.yaml"), atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("s.yaml")
        try "hardware: \(SweepSpecTests.root)/hardware/scale-sim-32x32.yaml\naxes:\n\(axes)"
            .write(to: file, atomically: true, encoding: .utf8)
        return try SweepSpec.load(file.path)
    }

    @Test("zipped with ResNet-18, an MLP override warns although the other workload (Llama) has MLP ops")
    func zippedPlanSeesOnlyItsWorkload() throws {
        let plan = "name: p\ndefault: {weight: int8, input: int8, output: int8, accumulator: int32}\n"
            + "overrides:\n  - name: \"layers.mlp.*\"\n    formats: {weight: int4}\n"
        let root = SweepSpecTests.root
        let workloads = "[\(root)/workloads/resnet18-scalesim-layers.yaml, "
            + "\(root)/workloads/llama-2-7b-decode-2048.yaml]"
        let zipped = try spec("  - zip: {precision: [plan.yaml, int8], workload: \(workloads)}", plan: plan)
        let warnings = zipped.overrideWarnings.map(\.description)
        #expect(warnings.count == 1 && warnings[0].contains("no op of workload 'resnet18-scalesim'"), "\(warnings)")
        // Crossed instead of zipped, the plan also runs on Llama, whose MLP ops take the override.
        let crossed = try spec("  - precision: [plan.yaml, int8]\n  - workload: \(workloads)", plan: plan)
        #expect(crossed.overrideWarnings.isEmpty, "\(crossed.overrideWarnings)")
    }
}
