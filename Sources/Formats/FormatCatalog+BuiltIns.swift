extension FormatCatalog {
    // Builders for constant, known-valid parameters: a failure here is a bug.
    static func float(_ name: String, _ e: Int, _ m: Int, bias: Int? = nil,
                      _ specials: SpecialValues) -> AnyScalarFormat {
        do { return .minifloat(try Minifloat(name: name, exponentBits: e, mantissaBits: m, bias: bias,
                                             specials: specials)) }
        catch { fatalError("built-in \(name): \(error)") }
    }

    static func integer(_ bits: Int, _ kind: IntegerFormat.Kind, fraction: Int = 0,
                        name: String? = nil) -> AnyScalarFormat {
        do { return .integer(try IntegerFormat(name: name, bits: bits, kind: kind, fractionBits: fraction)) }
        catch { fatalError("built-in int\(bits): \(error)") }
    }

    static func block(_ name: String, _ element: AnyScalarFormat, _ scale: AnyScalarFormat, _ size: Int,
                      _ rule: BlockFormat.ScaleRule, tensorScale: Bool = false) -> NumberFormat {
        do { return .block(try BlockFormat(name: name, element: element, scale: scale, blockSize: size,
                                           rule: rule, hasTensorScale: tensorScale)) }
        catch { fatalError("built-in \(name): \(error)") }
    }

    static let e4m3 = float("fp8_e4m3", 4, 3, .fn)
    static let e5m2 = float("fp8_e5m2", 5, 2, .ieee)
    static let e2m3 = float("fp6_e2m3", 2, 3, .none)
    static let e3m2 = float("fp6_e3m2", 3, 2, .none)
    static let e2m1 = float("fp4_e2m1", 2, 1, .none)
    static let e8m0 = float("e8m0", 8, 0, .fnu)
    static let fp16 = float("fp16", 5, 10, .ieee)
    /// MXINT8's element: 8-bit two's complement with an implicit 2^−6 (a
    /// 1.6 fixed-point number), symmetric as in Microsoft's microxcaling
    /// emulator and the INT-vs-FP study (arXiv 2510.25602).
    static let mxint8Element = integer(8, .symmetric, fraction: 6, name: "int8_sym(2^-6)")
    /// MXINT6 and MXINT4 elements as arXiv 2510.25602 defines them: symmetric
    /// ±(2^(b−1) − 1), with the same 1.(b−2) fixed-point reading as MXINT8
    /// (the implicit 2^−(b−2) only shifts the scale by a power of two).
    static let mxint6Element = integer(6, .symmetric, fraction: 4, name: "int6_sym(2^-4)")
    static let mxint4Element = integer(4, .symmetric, fraction: 2, name: "int4_sym(2^-2)")

    static func makeBuiltIns() -> [Entry] {
        let ocp8 = "OCP 8-bit Floating Point Specification (OFP8) rev 1.0"
        let mx = "OCP Microscaling Formats (MX) v1.0"
        func scalar(_ f: AnyScalarFormat, _ aliases: [String], _ source: String) -> Entry {
            Entry(format: .scalar(f), aliases: aliases, source: source)
        }
        return [
            scalar(float("fp32", 8, 23, .ieee), ["float32", "f32", "e8m23"], "IEEE 754-2019 binary32"),
            scalar(float("tf32", 8, 10, .ieee), ["tensorfloat32", "e8m10"],
                   "NVIDIA A100 whitepaper (2020): 19-bit TensorFloat-32"),
            scalar(float("bf16", 8, 7, .ieee), ["bfloat16", "e8m7"], "Google bfloat16; ml_dtypes.bfloat16"),
            scalar(fp16, ["float16", "half", "e5m10"], "IEEE 754-2019 binary16"),
            scalar(e4m3, ["float8_e4m3fn", "e4m3", "e4m3fn"], ocp8),
            scalar(e5m2, ["float8_e5m2", "e5m2"], ocp8),
            scalar(float("float8_e4m3fnuz", 4, 3, .fnuz), ["e4m3fnuz"],
                   "Graphcore/AMD FP8; ml_dtypes.float8_e4m3fnuz (bias 8)"),
            scalar(float("float8_e5m2fnuz", 5, 2, .fnuz), ["e5m2fnuz"],
                   "Graphcore/AMD FP8; ml_dtypes.float8_e5m2fnuz (bias 16)"),
            scalar(e2m3, ["float6_e2m3fn", "e2m3"], mx),
            scalar(e3m2, ["float6_e3m2fn", "e3m2"], mx),
            scalar(e2m1, ["float4_e2m1fn", "e2m1", "fp4"], mx),
            scalar(e8m0, ["float8_e8m0fnu", "ue8m0"], mx + " (scale format)"),
            scalar(integer(32, .twosComplement), [], "two's complement"),
            scalar(integer(16, .twosComplement), [], "two's complement"),
            scalar(integer(8, .twosComplement), [], "two's complement"),
            scalar(integer(4, .twosComplement), [], "two's complement; ml_dtypes.int4"),
            scalar(integer(2, .twosComplement), [], "two's complement; ml_dtypes.int2"),
            scalar(integer(8, .unsigned), [], "unsigned"),
            scalar(integer(4, .unsigned), [], "unsigned; ml_dtypes.uint4"),
            scalar(integer(8, .symmetric), [], "symmetric range ±127 (arXiv 2510.25602)"),
            scalar(integer(4, .symmetric), [], "symmetric range ±7 (arXiv 2510.25602)"),
            scalar(integer(1, .bipolar, name: "binary"), ["bipolar1"], "{−1,+1}, XNOR-popcount networks"),
            scalar(integer(2, .symmetric, name: "ternary"), ["int2_sym"], "{−1,0,+1}, ternary weight networks"),
            scalar(integer(2, .bipolar), [], "bipolar-INT, arXiv 2409.17870"),
            scalar(integer(3, .bipolar), [], "bipolar-INT, arXiv 2409.17870"),
            scalar(integer(4, .bipolar), [], "bipolar-INT, arXiv 2409.17870"),
            scalar(integer(16, .twosComplement, fraction: 8), [], "Q8.8 fixed point"),
            Entry(format: block("mxfp8_e4m3", e4m3, e8m0, 32, .sharedExponent), aliases: ["mxfp8"], source: mx),
            Entry(format: block("mxfp8_e5m2", e5m2, e8m0, 32, .sharedExponent), aliases: [], source: mx),
            Entry(format: block("mxfp6_e2m3", e2m3, e8m0, 32, .sharedExponent), aliases: ["mxfp6"], source: mx),
            Entry(format: block("mxfp6_e3m2", e3m2, e8m0, 32, .sharedExponent), aliases: [], source: mx),
            Entry(format: block("mxfp4", e2m1, e8m0, 32, .sharedExponent), aliases: ["mxfp4_e2m1"], source: mx),
            Entry(format: block("mxint8", mxint8Element, e8m0, 32, .sharedExponent), aliases: [], source: mx),
            Entry(format: block("mxint6", mxint6Element, e8m0, 32, .sharedExponent), aliases: [],
                  source: "arXiv 2510.25602 (MX-style INT6: symmetric ±31, UE8M0 per 32)"),
            Entry(format: block("mxint4", mxint4Element, e8m0, 32, .sharedExponent), aliases: [],
                  source: "arXiv 2510.25602 (MX-style INT4: symmetric ±7, UE8M0 per 32)"),
            Entry(format: block("nvint4", integer(4, .symmetric), e4m3, 16, .absMax, tensorScale: true), aliases: [],
                  source: "arXiv 2510.25602 (NVFP4's scaling with INT4 ±7 elements: E4M3 per 16, FP32 tensor scale)"),
            Entry(format: block("nvfp4", e2m1, e4m3, 16, .absMax, tensorScale: true), aliases: [],
                  source: "NVIDIA Blackwell NVFP4: E2M1 ×16 with E4M3 scale and FP32 tensor scale"),
            Entry(format: block("int4_g128", integer(4, .twosComplement), fp16, 128, .absMax), aliases: [],
                  source: "group-wise INT4 weights with FP16 absmax scales (GPTQ/AWQ style)"),
        ]
    }
}
