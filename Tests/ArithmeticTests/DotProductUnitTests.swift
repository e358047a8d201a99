import Testing
@testable import Arithmetic
import Formats

@Suite("k-lane dot-product units (arXiv 2510.25602 App. C)")
struct DotProductUnitTests {
    func mac(_ operand: DotProductUnit.Operand, _ k: Int, _ scale: DotProductUnit.BlockScale) -> UnitCost {
        DotProductUnit(lanes: k, operand: operand, blockScale: scale, blockSize: k).perMAC(at: .reference)
    }

    @Test("App. C's aligner width: min(2^(x+1) + 2y, 24)")
    func alignerWidth() {
        #expect(DotProductUnit.alignerWidth(exponentBits: 4, mantissaBits: 3) == 24)   // 38 → 24
        #expect(DotProductUnit.alignerWidth(exponentBits: 2, mantissaBits: 1) == 10)
        #expect(DotProductUnit.alignerWidth(exponentBits: 2, mantissaBits: 3) == 14)
        let kept = DotProductUnit(lanes: 32, operand: .float(exponentBits: 4, mantissaBits: 3, lmul: false), keptBits: 14)
        #expect(kept.treeWidth == 14)
        #expect(DotProductUnit(lanes: 32, operand: .integer(bits: 8)).treeWidth == nil)
    }

    @Test("Table 5 within 0.08 (a calibration: the lane weights are fitted to it)")
    func table5() {
        let fp8 = mac(.float(exponentBits: 4, mantissaBits: 3, lmul: false), 32, .powerOfTwo)
        let cases: [(UnitCost, Double, Double)] = [
            (mac(.integer(bits: 8), 32, .powerOfTwo), 0.63, 0.79),
            (mac(.float(exponentBits: 2, mantissaBits: 1, lmul: false), 16, .float(exponentBits: 4, mantissaBits: 3)), 0.55, 0.54),
            (mac(.integer(bits: 4), 16, .float(exponentBits: 4, mantissaBits: 3)), 0.34, 0.38),
        ]
        for (c, e, a) in cases {
            #expect(abs(c.energyPicojoules / fp8.energyPicojoules - e) <= 0.08)
            #expect(abs(c.areaSquareMicrometres / fp8.areaSquareMicrometres - a) <= 0.08)
        }
    }

    @Test("a narrower aligned tree, an integer accumulator and L-Mul each cost less")
    func structure() {
        let e4m3 = DotProductUnit.Operand.float(exponentBits: 4, mantissaBits: 3, lmul: false)
        let full = DotProductUnit(lanes: 32, operand: e4m3).perMAC(at: .reference)
        let kept = DotProductUnit(lanes: 32, operand: e4m3, keptBits: 14).perMAC(at: .reference)
        let lmul = DotProductUnit(lanes: 32, operand: .float(exponentBits: 4, mantissaBits: 3, lmul: true)).perMAC(at: .reference)
        #expect(kept.energyPicojoules < full.energyPicojoules && lmul.energyPicojoules < full.energyPicojoules)
        let intAcc = DotProductUnit(lanes: 32, operand: .integer(bits: 8), accumulator: .integer(bits: 32)).perMAC(at: .reference)
        let fpAcc = DotProductUnit(lanes: 32, operand: .integer(bits: 8)).perMAC(at: .reference)
        #expect(intAcc.energyPicojoules < fpAcc.energyPicojoules)
    }
}

@Suite("chunked tensor QSNR")
struct SignalNoiseTests {
    @Test("signalNoise equals ErrorStudy's quantisation error for scalar and block formats",
          arguments: ["int8", "fp8_e4m3", "fp8_e5m2", "bf16", "mxfp4", "nvfp4", "mxint8@ceil", "int4_g128"])
    func agrees(name: String) throws {
        let format = try FormatCatalog.format(named: name)
        let x = Distribution.laplace.samples(8192, seed: 3)
        let study = ErrorStudy(format: format, samples: x.count)
        let reference = ErrorMetrics(reference: x, approximate: study.quantize(x))
        let amax = x.reduce(0) { max($0, abs($1)) }
        let parts = format.signalNoise(Array(x[0..<4096]), tensorAmax: amax)
            + format.signalNoise(Array(x[4096...]), tensorAmax: amax)
        #expect(abs(parts.qsnrDecibels - reference.qsnrDecibels) < 1e-9, "\(name)")
    }
}
