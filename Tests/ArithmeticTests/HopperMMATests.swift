import Foundation
import Testing
@testable import Arithmetic
@testable import Formats

/// lpsim's aligned-truncating accumulator against H100 FP8 tensor-core
/// outputs (one MMA, k = 32), measured by Khattak & Mikaitis (arXiv
/// 2512.07004; fixture from scripts/make_hopper_mma_fixture.py).
@Suite("Hopper FP8 MMA against H100 measurements")
struct HopperMMATests {
    struct Case { var a: [Double], b: [Double], output: Float }

    static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/h100_e4m3_mma.csv")
        let e4m3 = try FormatCatalog.scalarFormat(named: "fp8_e4m3")
        func codes(_ hex: Substring) -> [Double] {
            var out: [Double] = [], i = hex.startIndex
            while i < hex.endIndex {
                let j = hex.index(i, offsetBy: 2)
                out.append(e4m3.decode(UInt32(hex[i..<j], radix: 16)!))
                i = j
            }
            return out
        }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .map { line in
                let f = line.split(separator: ",")
                return Case(a: codes(f[0]), b: codes(f[1]), output: Float(bitPattern: UInt32(f[2], radix: 16)!))
            }
    }

    @Test("14 kept bits per 32 products, product exponents unnormalised: every H100 output bit for bit")
    func bitExact() throws {
        let cases = try Self.cases()
        #expect(cases.count == 2000 && cases.allSatisfy { $0.a.count == 32 && $0.b.count == 32 })
        let h100 = DotProductEmulator(multiplier: .exact(resultFormat: nil),
                                      accumulator: .alignedTruncating(keptBits: 14, groupSize: 32),
                                      operandMinExponent: -6)
        let mismatches = cases.filter { Float(h100.dot($0.a, $0.b).value) != $0.output }.count
        #expect(mismatches == 0, "\(mismatches) of \(cases.count) outputs differ")
    }

    @Test("the measurements tell the models apart: FP32 accumulation, 13 or 15 kept bits all miss")
    func discriminates() throws {
        let cases = try Self.cases()
        let fp32 = try Minifloat(exponentBits: 8, mantissaBits: 23)
        for accumulator in [Accumulator.float(fp32), .alignedTruncating(keptBits: 13, groupSize: 32),
                            .alignedTruncating(keptBits: 15, groupSize: 32)] {
            let model = DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: accumulator,
                                           operandMinExponent: -6)
            let mismatches = cases.filter { Float(model.dot($0.a, $0.b).value) != $0.output }.count
            #expect(mismatches > cases.count / 4, "\(accumulator): \(mismatches) mismatches")
        }
    }
}
