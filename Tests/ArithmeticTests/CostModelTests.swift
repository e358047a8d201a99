import Testing
@testable import Arithmetic

@Suite("Cost model calibration")
struct CostModelTests {
    let model = CellCostModel()
    let node = Technology.reference

    /// Horowitz ISSCC 2014 (energy, pJ) and Hennessy & Patterson Fig. 1.13 (area, µm²), 45 nm.
    static let published: [(ArithmeticUnit, Double, Double)] = [
        (.integerAdder(bits: 8), 0.03, 36), (.integerAdder(bits: 32), 0.1, 137),
        (.integerMultiplier(bits: 8, by: 8), 0.2, 282), (.integerMultiplier(bits: 32, by: 32), 3.1, 3495),
        (.floatAdder(exponentBits: 5, mantissaBits: 10), 0.4, 1360),
        (.floatAdder(exponentBits: 8, mantissaBits: 23), 0.9, 4184),
        (.floatMultiplier(exponentBits: 5, mantissaBits: 10), 1.1, 1640),
        (.floatMultiplier(exponentBits: 8, mantissaBits: 23), 3.7, 7700),
    ]

    @Test("each Horowitz energy and matching area within 25%, from 4 constants per metric",
          arguments: published)
    func horowitz(unit: ArithmeticUnit, energy: Double, area: Double) {
        let cost = model.cost(of: unit, at: node)
        #expect(abs(cost.energyPicojoules / energy - 1) < 0.25, "\(unit): \(cost.energyPicojoules) pJ")
        #expect(abs(cost.areaSquareMicrometres / area - 1) < 0.25, "\(unit): \(cost.areaSquareMicrometres) µm²")
    }

    @Test("the calibration has fewer free constants than data points")
    func constantCount() {
        // Four per metric (adder bit, integer product, float product, mux bit) against eight points.
        #expect(Mirror(reflecting: CellLibrary.horowitz45nm).children.count == 8)
        #expect(Self.published.count * 2 == 16)
    }

    @Test("technology scaling follows Stillmaker & Baas, and says when it extrapolates")
    func scaling() {
        #expect(Technology.reference.energyFactor == 1)
        #expect(Technology.reference.areaFactor == 1)
        #expect(Technology(nodeNanometres: 7).areaFactor == 0.059)
        #expect(Technology(nodeNanometres: 65, voltage: 0.9).areaFactor == 1.5)
        let e7 = Technology(nodeNanometres: 7, voltage: 0.7).energyFactor
        #expect(abs(e7 - (0.1776 * 0.49 - 0.09097 * 0.7 + 0.02447) / (1.103 * 0.81 - 0.362 * 0.9 + 0.2767)) < 1e-12)
        #expect(Technology(nodeNanometres: 45).provenance == .published)
        #expect(Technology(nodeNanometres: 28).provenance == .interpolated)
        #expect(Technology(nodeNanometres: 4).provenance == .extrapolated)
        let e28 = Technology(nodeNanometres: 28, voltage: 0.8).energyFactor
        let e45 = Technology(nodeNanometres: 45, voltage: 0.8).energyFactor
        let e16 = Technology(nodeNanometres: 16, voltage: 0.8).energyFactor
        #expect(e28 < e45 && e28 > e16)
        #expect(Technology(nodeNanometres: 4).areaFactor < 0.059)
    }

    @Test("user overrides replace the model for that unit only")
    func overrides() {
        let mul = ArithmeticUnit.floatMultiplier(exponentBits: 4, mantissaBits: 3)
        let mine = UnitCost(energyPicojoules: 0.123, areaSquareMicrometres: 45.6, delayNanoseconds: 0.7)
        let custom = CellCostModel(overrides: [mul: mine])
        #expect(custom.cost(of: mul, at: node) == mine)
        #expect(custom.cost(of: .integerAdder(bits: 8), at: node) == model.cost(of: .integerAdder(bits: 8), at: node))
    }

    @Test("pipeline depth at a clock")
    func pipeline() {
        let fp32mul = model.cost(of: .floatMultiplier(exponentBits: 8, mantissaBits: 23), at: node)
        #expect(fp32mul.delayNanoseconds > 0.3 && fp32mul.delayNanoseconds < 3)
        #expect(fp32mul.pipelineStages(atClockHertz: 2e9) >= fp32mul.pipelineStages(atClockHertz: 1e9))
    }
}

@Suite("L-Mul cost (arXiv 2410.00907)")
struct LMulCostTests {
    let model = CellCostModel()
    let node = Technology.reference

    @Test("≥ 90% less energy than an exact FP32 multiplication")
    func elementWise() {
        let exact = model.cost(of: .floatMultiplier(exponentBits: 8, mantissaBits: 23), at: node).energyPicojoules
        let lmul = model.cost(of: .lmul(exponentBits: 8, mantissaBits: 23), at: node).energyPicojoules
        #expect(1 - lmul / exact >= 0.90)
    }

    @Test("about 80% (±5 points) less for an FP32 dot product with the same accumulator")
    func dotProduct() {
        let accumulate = model.cost(of: .floatAccumulator(exponentBits: 8, mantissaBits: 23), at: node).energyPicojoules
        let exact = model.cost(of: .floatMultiplier(exponentBits: 8, mantissaBits: 23), at: node).energyPicojoules + accumulate
        let lmul = model.cost(of: .lmul(exponentBits: 8, mantissaBits: 23), at: node).energyPicojoules + accumulate
        let saving = 1 - lmul / exact
        #expect(abs(saving - 0.80) <= 0.05, "saving \(saving)")
    }
}

@Suite("INT-vs-FP gate-count model (arXiv 2510.25602)")
struct GateCountModelTests {
    let model = GateCountModel.chen2025

    func ratio(_ f: (Int, Int, Int), _ metric: KeyPath<(energy: Double, area: Double), Double>,
               throughput: Int = 32) -> Double {
        let c = model.cost(exponentBits: f.0, mantissaBits: f.1, lanes: f.2, throughput: throughput)
        let base = model.cost(exponentBits: 4, mantissaBits: 3, lanes: 32, throughput: 32)
        return c[keyPath: metric] / base[keyPath: metric]
    }

    @Test("Table 5 ratios against MXFP8 within ±0.08")
    func table5() {
        let mxint8 = (0, 7, 32), nvfp4 = (2, 1, 16), nvint4 = (0, 3, 16)
        for (format, energy, area) in [(mxint8, 0.63, 0.79), (nvfp4, 0.55, 0.54), (nvint4, 0.34, 0.38)] {
            #expect(abs(ratio(format, \.energy) - energy) <= 0.08, "\(format) energy \(ratio(format, \.energy))")
            #expect(abs(ratio(format, \.area) - area) <= 0.08, "\(format) area \(ratio(format, \.area))")
        }
        // MXINT8 + NVINT4 against MXFP8 + NVFP4, the 4-bit format at twice the throughput.
        func pair(_ eight: (Int, Int, Int), _ four: (Int, Int, Int)) -> (Double, Double) {
            let a = model.cost(exponentBits: eight.0, mantissaBits: eight.1, lanes: eight.2, throughput: 32)
            let b = model.cost(exponentBits: four.0, mantissaBits: four.1, lanes: four.2, throughput: 64)
            return (a.energy + b.energy, a.area + b.area)
        }
        let int = pair(mxint8, nvint4), fp = pair((4, 3, 32), nvfp4)
        #expect(abs(int.0 / fp.0 - 0.75) <= 0.08)
        #expect(abs(int.1 / fp.1 - 0.66) <= 0.08)
    }

    @Test("Table 6 counts for MXFP8 (E4M3, k = 32)")
    func table6() {
        let c = GateCountModel.counts(exponentBits: 4, mantissaBits: 3, lanes: 32)
        #expect(c.multiplier == 32 * 16)
        #expect(c.adder == 3 * 32 * 4 + 32 * 24)   // n = min(2^5 + 6, 24) = 24
        let int8 = GateCountModel.counts(exponentBits: 0, mantissaBits: 7, lanes: 32)
        #expect(int8.multiplier == 32 * 64 && int8.adder == 2 * 32 * 8 && int8.shifter == 0)
    }
}
