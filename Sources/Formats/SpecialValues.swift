/// Which encodings of an ExMy minifloat are reserved for infinities and
/// NaNs, following the naming of ml_dtypes and the OCP specifications.
///
/// | convention | infinities | NaN codes | negative zero | example |
/// |---|---|---|---|---|
/// | `ieee` | exponent all ones, mantissa 0 | exponent all ones, mantissa ≠ 0 | yes | fp16, bf16, fp8_e5m2 |
/// | `fn` | none | all ones (S.1111.111) | yes | fp8_e4m3 (OCP) |
/// | `fnuz` | none | the negative-zero code (1000…0) | no | float8_e4m3fnuz |
/// | `none` | none | none | yes | fp6_e2m3, fp4_e2m1 (OCP) |
/// | `fnu` | none | all ones; unsigned, no zero | no | e8m0 (OCP MX scale) |
public enum SpecialValues: String, Sendable, CaseIterable, Hashable {
    case ieee
    case fn
    case fnuz
    case none
    case fnu

    /// The suffix ml_dtypes uses in a format name (`float8_e4m3fn`).
    public var nameSuffix: String {
        switch self {
        case .ieee, .none: return ""
        case .fn: return "fn"
        case .fnuz: return "fnuz"
        case .fnu: return "fnu"
        }
    }
}
