import Foundation
import Hardware
import Testing
import Workload

@testable import Simulator

@Suite("device area")
struct DeviceAreaTests {
    static let files = try! FileManager.default.contentsOfDirectory(
        atPath: root.appendingPathComponent("hardware").path
    )
    .filter { $0.hasSuffix(".yaml") }.sorted()

    @Test(
        "the device area holds every format's array and every plan's area, and does not depend on the plan",
        arguments: files)
    func covers(_ file: String) throws {
        let hardware = try device(file)
        let area = DeviceArea(hardware)
        let cost = DatapathCost(model: hardware)
        #expect(area.totalSquareMillimetres > 0)
        #expect(area.totalSquareMillimetres == DeviceArea(hardware).totalSquareMillimetres)
        for f in hardware.executableFormats {
            // One shared array and shared scale units hold each format's own array.
            #expect(
                cost.arrayAreaSquareMillimetres(f) <= area.macArraySquareMillimetres + area.scaleUnitsSquareMillimetres
                    + 1e-9, "\(f)")
        }
        if let sizing = area.sizingFormat {
            #expect(hardware.executableFormats.contains(sizing))
        }
    }

    @Test("a run's utilised datapath and SimulationResult area never exceed the device's")
    func plans() throws {
        let h100 = try device("nvidia-h100-sxm5.yaml")
        let trace = Trace(name: "gemm", ops: [Op(name: "g", kind: .gemm, dims: ["m": 512, "n": 512, "k": 512])])
        let total = DeviceArea(h100).totalSquareMillimetres
        var utilised: Set<Double> = []
        for plan in ["bf16", "fp8", "int8", "w4a16", "tf32"] {
            let r = try Simulator(hardware: h100, plan: try PrecisionPlan.load(plan)).run(trace)
            #expect(r.areaSquareMillimetres <= total + 1e-9, "\(plan)")
            #expect(r.utilisedDatapathSquareMillimetres(on: h100) <= total, "\(plan)")
            utilised.insert(r.utilisedDatapathSquareMillimetres(on: h100))
        }
        // Formats differ in array size, so the per-plan figure moves while the device's does not.
        #expect(utilised.count > 1)
    }
}
