import Foundation
import Hardware
import Simulator
import Testing
import Workload
@testable import Reports

/// The share of a run's time its non-matrix ops take, and the Models bullet that states the assumption
/// behind it (each such op streams its tensors through off-chip memory, unfused).
@Suite("Non-matrix ops' share of the time, stated in the report")
struct VectorOpShareTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("ResNet-50 on the TPU-v1-like array: the share is the non-matrix ops' time, and the report says so")
    func tpuResNet() throws {
        func path(_ relative: String) -> String { Self.root.appendingPathComponent(relative).path }
        let hardware = try HardwareLoader.load(path("hardware/tpu-v1-like.yaml"))
        let trace = try TraceReader.load(path("workloads/resnet50.yaml"))
        let plan = try PrecisionPlan.load("int8")
        let result = try Simulator(hardware: hardware, plan: plan).run(trace)
        let data = try ComparisonBuilder.build(title: "t", trace: trace, results: [(hardware, plan, result)],
                                               baseline: (hardware.name, "int8"), inputs: [], command: "", version: "")
        let share = try #require(data.entries.first?.vectorOpFraction)
        let vector = result.ops.filter { ([.elementwise, .norm, .softmax, .embedding] as [OpKind]).contains($0.kind) }
        let matrix = result.ops.filter { ([.gemm, .conv2d] as [OpKind]).contains($0.kind) }
        #expect(!vector.isEmpty && !matrix.isEmpty && vector.count + matrix.count == result.ops.count)
        let expected = vector.reduce(0) { $0 + $1.seconds } / result.seconds
        #expect(abs(share - expected) < 1e-12 && share > 0.2 && share < 0.9, "\(share)")
        let md = MarkdownReport(data: data, stem: "t").markdown()
        let line = try #require(md.split(separator: "\n").first { $0.hasPrefix("- Non-matrix ops") })
        #expect(line.contains("off-chip memory") && line.contains(Statements.percent(share) + " of int8's time"),
                "\(line)")
    }

    @Test("no bullet for results saved before the figure existed, or with no non-matrix op")
    func absent() throws {
        func path(_ relative: String) -> String { Self.root.appendingPathComponent(relative).path }
        let hardware = try HardwareLoader.load(path("hardware/scale-sim-32x32.yaml"))
        let trace = Trace(name: "g", ops: [Op(name: "g", kind: .gemm, dims: ["m": 64, "n": 64, "k": 64])])
        let plan = try PrecisionPlan.load("int8")
        let result = try Simulator(hardware: hardware, plan: plan).run(trace)
        var data = try ComparisonBuilder.build(title: "t", trace: trace, results: [(hardware, plan, result)],
                                               baseline: (hardware.name, "int8"), inputs: [], command: "", version: "")
        #expect(data.entries.first?.vectorOpFraction == 0)
        #expect(!MarkdownReport(data: data, stem: "t").markdown().contains("- Non-matrix ops"))
        data.entries[0].vectorOpFraction = nil
        #expect(!MarkdownReport(data: data, stem: "t").markdown().contains("- Non-matrix ops"))
    }
}
