import Testing
@testable import Formats

/// `holdsEveryValue` against an enumeration of the source's codes (the exhaustive oracle for formats ≤ 16 bits).
@Suite("Which formats hold every value of another (what a device may dequantise into)")
struct EmbeddingTests {
    /// Every finite value of `source`, by decoding each code, is a fixed point of `target`'s rounding.
    func enumerated(_ source: AnyScalarFormat, into target: AnyScalarFormat) -> Bool {
        (0..<(UInt32(1) << UInt32(source.bitWidth))).allSatisfy { code in
            let v = source.decode(code)
            return !v.isFinite || target.quantize(v) == v
        }
    }

    @Test("the rule agrees with code enumeration on every pair of small formats", arguments: [
        ("int4", "fp8_e4m3", true), ("int8", "fp8_e4m3", false), ("int8", "fp16", true), ("int8", "bf16", true),
        ("fp8_e4m3", "bf16", true), ("fp8_e5m2", "fp16", true), ("fp8_e4m3", "int8", false), ("fp16", "bf16", false),
        ("uint8", "int8", false), ("int8", "int16", true), ("fp4_e2m1", "fp8_e4m3", true), ("int16", "fp16", false),
    ])
    func pairs(source: String, target: String, holds: Bool) {
        let s = scalar(source), t = scalar(target)
        #expect(t.holdsEveryValue(of: s) == holds, "\(source) into \(target)")
        #expect(enumerated(s, into: t) == holds, "\(source) into \(target) by enumeration")
    }
}
