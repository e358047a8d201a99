extension AnyScalarFormat {
    /// Whether every finite value of `source` is a value of this format: widening `source` into it loses
    /// nothing. A device that runs an op in another format than the plan's (`Simulator`'s dequantisation)
    /// may only widen, never round.
    ///
    /// - Integers into integers: signed only from signed, no finer step, no larger magnitude.
    /// - Integers into floats: the largest magnitude's significant bits fit the float's precision, its
    ///   range holds the magnitude and its smallest positive value the step (int8 into fp16 or bf16, int4
    ///   into fp8_e4m3; not int8 into fp8_e4m3).
    /// - Floats into floats: no more mantissa bits, no larger finite range, no smaller positive value
    ///   (fp8_e4m3 into bf16 or fp16; not fp16 into bf16, whose 7 mantissa bits round fp16's 10).
    /// - Floats into integers: never (their fractions and range do not fit a fixed step).
    public func holdsEveryValue(of source: AnyScalarFormat) -> Bool {
        switch (source, self) {
        case (.integer(let s), .integer(let t)):
            return (!s.isSigned || t.isSigned) && s.fractionBits <= t.fractionBits
                && s.maxFinite <= t.maxFinite && Double(s.minInteger) * s.step >= Double(t.minInteger) * t.step
        case (.integer(let s), .minifloat(let t)):
            // Every integer up to the largest magnitude must fit: 2^n − 1 takes n significant bits, 2^n one.
            let magnitude = max(s.maxInteger, -s.minInteger)
            let length = 64 - magnitude.leadingZeroBitCount
            let significant = max(1, magnitude.nonzeroBitCount == 1 ? length - 1 : length)
            return (!s.isSigned || t.isSigned) && significant <= t.mantissaBits + 1
                && Double(magnitude) * s.step <= t.maxFinite && t.minPositive <= s.step
        case (.minifloat(let s), .minifloat(let t)):
            return (!s.isSigned || t.isSigned) && s.mantissaBits <= t.mantissaBits && s.maxFinite <= t.maxFinite
                && t.minPositive <= s.minPositive
        case (.minifloat, .integer):
            return false
        }
    }
}
