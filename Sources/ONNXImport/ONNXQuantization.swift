import Formats
import Workload

/// The quantization a tensor carries: the lpsim format of its stored
/// values, and whether a non-zero zero point shifts them.
struct QuantInfo: Hashable, Sendable {
    /// A format name of the catalog: `int8`, `uint8`, `int4_g32_fp32`,
    /// `fp8_e4m3`, `int4_sym`, `binary`, …
    var format: String
    /// A zero point that is (or may be) non-zero: the integer MACs then need
    /// the zero-point correction (see `ZeroPointCorrection`).
    var asymmetric: Bool
    /// Elements per scale when the scale is blocked or per-axis.
    var blockSize: Int?
}

enum ONNXTypes {
    /// The lpsim name of an ONNX `TensorProto.DataType` (onnx.proto, onnx 1.23.2), for
    /// quantized storage types and float types alike; nil for the rest (bool, strings, int64…).
    static func formatName(_ dataType: Int32) -> String? {
        switch dataType {
        case 1: return "fp32"
        case 2: return "uint8"
        case 3: return "int8"
        case 4: return "uint16"
        case 5: return "int16"
        case 6: return "int32"
        case 10: return "fp16"
        case 16: return "bf16"
        case 17: return "fp8_e4m3"
        case 18: return "float8_e4m3fnuz"
        case 19: return "fp8_e5m2"
        case 20: return "float8_e5m2fnuz"
        case 21: return "uint4"
        case 22: return "int4"
        case 23: return "fp4_e2m1"
        case 25: return "uint2"
        case 26: return "int2"
        case 27: return "fp6_e2m3"
        case 28: return "fp6_e3m2"
        default: return nil
        }
    }

    static func isInteger(_ format: String) -> Bool {
        format.hasPrefix("int") || format.hasPrefix("uint") || format == "binary" || format.hasPrefix("bipolar")
    }

    /// A grouped name: `{element}_g{group}_{scale}` when the element is an
    /// integer (the catalog's group-wise INT); other elements with a per-axis
    /// or blocked scale keep their scalar name (the scale amortises to a few
    /// bits per thousand elements) and the group in `blockSize`.
    static func grouped(_ element: String, group: Int, scale: String) -> String {
        // Beyond the catalog's largest block (2^20) a scale amortises to nothing: the scalar name.
        guard element.hasPrefix("int") || element.hasPrefix("uint"), !element.contains("_"),
              (1...1 << 20).contains(group)
        else { return element }
        return "\(element)_g\(group)_\(scale)"
    }

    /// The catalog's canonical spelling of `name` (aliases resolved), or nil if the catalog has no such format.
    static func canonical(_ name: String) -> String? {
        (try? FormatCatalog.format(named: name))?.name
    }
}

extension ONNXImporter {
    /// The format a name the model implies (`int4_g32_fp32`, `uint8`, …)
    /// resolves to: ops carry formats as values, resolved as the graph is read.
    ///
    /// - Throws: a diagnostic naming `op` when the catalog has no such format.
    func typed(_ name: String, op: String) throws -> NumberFormat {
        do throws(FormatError) { return try FormatCatalog.format(named: name) } catch {
            throw self.error("op '\(op)': the format '\(name)' the model implies is not one lpsim can express")
        }
    }
}

/// How lpsim prices a zero point (the "zero-point correction term").
///
/// With stored codes qx, qw and zero points zx, zw, an integer dot product of length K is
///     Σ (qx − zx)(qw − zw) = Σ qx·qw − zw·Σ qx − zx·Σ qw + K·zx·zw.
/// The MACs run on the raw codes; the correction adds, per output element, one
/// multiply-add for each non-zero zero point (`zw·Σqx`, `zx·Σqw`; the constant K·zx·zw
/// folds into the bias), and the sums themselves: Σqx over each row of the input
/// (K adds per input row, needed when zw ≠ 0) and Σqw over each weight column (K adds
/// per column, needed when zx ≠ 0, computed offline and free when the weight is a constant).
/// This is the arithmetic of gemmlowp's offset handling ("The low-precision paradigm",
/// gemmlowp doc/low-precision.md) and of ONNX Runtime's QLinearMatMul; lpsim emits it as
/// two elementwise ops after the matrix product: `NAME.zp_sums` (one op per summed
/// element) and `NAME.zp_correction` (one op per output element per non-zero zero point).
struct ZeroPointCorrection {
    var inputAsymmetric: Bool
    var weightAsymmetric: Bool
    var weightIsConstant: Bool

    /// The correction ops for a product of `batch` × (rows × depth) · (depth × columns); empty when
    /// symmetric, nil when an element count overflows 64 bits.
    func ops(name: String, batch: Int, rows: Int, depth: Int, columns: Int, repeatCount: Int) -> [Op]? {
        func product(_ values: Int...) -> Int? {
            var p = 1
            for v in values {
                let (r, o) = p.multipliedReportingOverflow(by: v)
                if o { return nil }
                p = r
            }
            return p
        }
        guard let rowSums = product(batch, rows, depth), let columnSums = product(batch, depth, columns),
              let outputs = product(batch, rows, columns) else { return nil }
        var result: [Op] = []
        let sums = (weightAsymmetric ? rowSums : 0) &+ (inputAsymmetric && !weightIsConstant ? columnSums : 0)
        guard sums >= 0 else { return nil }
        if sums > 0 {
            result.append(Op(name: name + ".zp_sums", kind: .elementwise,
                             dims: ["elements": sums, "operands": 1, "flops": 1], repeatCount: repeatCount))
        }
        let terms = (inputAsymmetric ? 1 : 0) + (weightAsymmetric ? 1 : 0)
        if terms > 0 {
            result.append(Op(name: name + ".zp_correction", kind: .elementwise,
                             dims: ["elements": outputs, "operands": 1, "flops": 2 * terms], repeatCount: repeatCount))
        }
        return result
    }
}
