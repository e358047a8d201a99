import Foundation
import Formats
import Hardware
import Simulator
import Testing
import Workload
@testable import Reports

@Suite("Weights of a mixed-precision plan in a comparison")
struct WeightMixTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The shipped HAWQ-style plan stores some ResNet-50 layers in INT8 and
    /// others in INT4: its bits per weight are the parameter-weighted mean of
    /// the layers' formats (worked out here from the plan's own role formats,
    /// op by op), not its default's 8 bits, and its QSNR lies between the two.
    @Test("bits per weight and QSNR come from every layer's weight format, labelled with their shares")
    func mixedPlan() throws {
        func path(_ relative: String) -> String { Self.root.appendingPathComponent(relative).path }
        let hardware = try HardwareLoader.load(path("hardware/nvidia-t4.yaml"))
        let trace = try TraceReader.load(path("workloads/resnet50.yaml"))
        let mixed = try PrecisionPlan.load(path("reports/resnet50-t4-int4-int8-plan.yaml"))
        let runs = try [mixed, try PrecisionPlan.load("int8"), try PrecisionPlan.load("int4")].map { plan in
            (hardware, plan, try Simulator(hardware: hardware, plan: plan).run(trace))
        }
        let data = try ComparisonBuilder.build(title: "t", trace: trace, results: runs,
                                               baseline: (hardware.name, "int8"), inputs: [], command: "", version: "")
        let entry = try #require(data.entries.first { $0.precision == mixed.name })
        let int8 = try #require(data.entries.first { $0.precision == "int8" })
        let int4 = try #require(data.entries.first { $0.precision == "int4" })
        var parameters = 0.0, bits = 0.0
        for op in trace.ops {
            let share = try op.parameterShare()
            guard share.total > 0, let format = mixed.roleFormats(for: op).weight else { continue }
            parameters += Double(share.total) / Double(share.denominator)
            bits += Double(share.total) / Double(share.denominator) * format.bitsPerElement
        }
        #expect(abs(entry.bitsPerWeight - bits / parameters) < 1e-12)
        #expect(entry.bitsPerWeight > 4 && entry.bitsPerWeight < 8)
        #expect(entry.weightFormat.hasPrefix("mixed: ") && entry.weightFormat.contains("int8 ")
                && entry.weightFormat.contains("int4 "), "\(entry.weightFormat)")
        #expect(entry.qsnrDecibels > int4.qsnrDecibels && entry.qsnrDecibels < int8.qsnrDecibels)
        #expect(int8.weightFormat == "int8" && int8.bitsPerWeight == 8 && int4.bitsPerWeight == 4)
    }
}
