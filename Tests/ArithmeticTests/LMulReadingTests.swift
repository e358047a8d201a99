import Testing
@testable import Arithmetic
@testable import Formats

/// How L-Mul's two precision claims (arXiv 2410.00907, abstract: 4-bit L-Mul "comparable" to E4M3
/// multiplication, 3-bit L-Mul better than E5M2) fare under each reading of the error, for each
/// significand-carry convention. The paper's §3.2 definition is not in the stored copies (see
/// docs/numerics-reproductions.md): this pins down the sensitivity, it reproduces nothing.
@Suite("L-Mul precision claims: sensitivity to the reading")
struct LMulReadingTests {
    static let e8m3 = FormatCatalog.float("e8m3", 8, 3, .ieee), e8m4 = FormatCatalog.float("e8m4", 8, 4, .ieee)

    /// (L-Mul 4-bit / E4M3, L-Mul 3-bit / E5M2) mean relative errors for one reading and convention.
    func ratios(_ operands: Reproductions.LMulOperands, _ rounding: RoundingMode,
                carry: Bool) throws -> (Double, Double) {
        let e5m2 = try FormatCatalog.scalarFormat(named: "fp8_e5m2")
        let e4m3 = try FormatCatalog.scalarFormat(named: "fp8_e4m3")
        func err(_ m: Multiplier, _ f: AnyScalarFormat) -> Double {
            Reproductions.lmulReading(m, operandFormat: f, operands: operands, rounding: rounding, samples: 100_000)
        }
        let l4: Multiplier = carry ? .lmul(mantissaBits: 4) : .lmulEquation(mantissaBits: 4)
        let l3: Multiplier = carry ? .lmul(mantissaBits: 3) : .lmulEquation(mantissaBits: 3)
        return (err(l4, Self.e8m4) / err(.exact(resultFormat: nil), e4m3),
                err(l3, Self.e8m3) / err(.exact(resultFormat: nil), e5m2))
    }

    @Test("Operands rounded to nearest: 3-bit L-Mul beats E5M2 only with the carry; 4-bit L-Mul is 1.5–1.9× E4M3")
    func nearest() throws {
        for operands in [Reproductions.LMulOperands.normal, .uniformSignificand] {
            let carry = try ratios(operands, .nearestEven, carry: true)
            let eq = try ratios(operands, .nearestEven, carry: false)
            #expect(carry.1 < 1 && eq.1 > 1, "\(operands): claim 2 \(carry.1) (carry), \(eq.1) (Eq. 3)")
            #expect(carry.0 > 1.5 && carry.0 < 1.9 && eq.0 > carry.0, "\(operands): claim 1 \(carry.0), \(eq.0)")
        }
    }

    @Test("Operands truncated to the format's bits (evenly distributed significands): both claims hold, either way")
    func truncated() throws {
        let carry = try ratios(.uniformSignificand, .towardZero, carry: true)
        let eq = try ratios(.uniformSignificand, .towardZero, carry: false)
        #expect(carry.0 < 1 && carry.1 < 1, "carry: \(carry)")
        #expect(eq.0 < 1.1 && eq.1 < 1, "Eq. 3: \(eq)")
    }
}

/// An independent published evaluation of L-Mul's error: Chen, Lyu, Bao & da Silva, "A Power-Efficient
/// Hardware Implementation of L-Mul" (arXiv 2412.18948), Table IV, mean relative error over all FP8
/// operand pairs of their FPGA multiplier. It tells the two significand-carry conventions apart.
@Suite("L-Mul against arXiv 2412.18948 Table IV")
struct LMulHardwareTableTests {
    @Test("Eq. 3 as read (the sum kept) matches E4M3 0.068 and E5M2 0.111 within 3%; integer add misses by > 20%",
          arguments: [("fp8_e4m3", 3, 0.068), ("fp8_e5m2", 2, 0.111)])
    func table4(format: String, mantissaBits m: Int, published: Double) throws {
        let f = try FormatCatalog.scalarFormat(named: format)
        let eq = Reproductions.lmulExhaustiveMRE(.lmulEquation(mantissaBits: m), format: f)
        let carry = Reproductions.lmulExhaustiveMRE(.lmul(mantissaBits: m), format: f)
        #expect(abs(eq / published - 1) <= 0.03, "\(format): Eq. 3 \(eq) vs \(published)")
        #expect(abs(carry / published - 1) > 0.20, "\(format): integer add \(carry) vs \(published)")
    }
}
