import Documents
import Foundation

/// What the importer knows of one tensor of the graph.
struct TensorValue {
    /// Static shape; nil when not (yet) known.
    var shape: [Int]?
    /// ONNX `TensorProto.DataType`; 0 when unknown.
    var dataType: Int32 = 0
    /// Constant values, when the file holds them and they were small enough to keep.
    var values: [Double]?
    /// An initializer, a Constant's output, or what a free op or a Q/DQ makes of one: a weight.
    var isConstant = false
    /// The quantization the tensor's values carry.
    var quant: QuantInfo?
    /// Whether an emitted op (not a free one) produced it.
    var producedByOp = false

    var elements: Int { shape?.reduce(1, *) ?? 0 }
}

/// One node with the model-level facts the mapping needs.
struct NodeView {
    let node: Onnx_NodeProto
    let index: Int
    /// The node's name, or `OpType_index` when the graph leaves it empty.
    let name: String
    var opType: String { node.opType }
    /// `ai.onnx` for the default domain.
    var domain: String { node.domain.isEmpty ? "ai.onnx" : node.domain }

    func input(_ i: Int) -> String? { i >= 0 && i < node.input.count && !node.input[i].isEmpty ? node.input[i] : nil }

    func attribute(_ name: String) -> Onnx_AttributeProto? { node.attribute.first { $0.name == name } }
    func int(_ name: String, _ fallback: Int) -> Int { attribute(name).map { Int($0.i) } ?? fallback }
    func ints(_ name: String) -> [Int]? { attribute(name).map { $0.ints.map(Int.init) } }
    func float(_ name: String, _ fallback: Double) -> Double { attribute(name).map { Double($0.f) } ?? fallback }
    func string(_ name: String) -> String? { attribute(name).map { String(decoding: $0.s, as: UTF8.self) } }
}

extension Onnx_TensorProto {
    /// The tensor's values as doubles, when the file kept them (see `ONNXFile`) and the type is numeric.
    var numericValues: [Double]? {
        guard ONNXImporter.validShape(dims.map(Int.init)) else { return nil }
        let count = dims.reduce(1) { $0 * Int($1) }
        if !floatData.isEmpty { return floatData.map(Double.init) }
        if !int64Data.isEmpty { return int64Data.map(Double.init) }
        if !doubleData.isEmpty { return doubleData }
        if !int32Data.isEmpty {
            // int32_data holds the small types widened (int8, uint8, int16, bool, int4 packed two per entry).
            if dataType == 21 || dataType == 22 {
                var out: [Double] = []
                for word in int32Data {
                    for half in [word & 0xf, (word >> 4) & 0xf] {
                        out.append(Double(dataType == 22 && half > 7 ? half - 16 : half))
                    }
                }
                return Array(out.prefix(count))
            }
            return int32Data.map(Double.init)
        }
        guard !rawData.isEmpty else { return count == 0 ? [] : nil }
        let raw = [UInt8](rawData)
        func read<T: FixedWidthInteger>(_: T.Type) -> [Double]? {
            let size = MemoryLayout<T>.size
            guard raw.count == count * size else { return nil }
            return (0..<count).map { i in
                var v: T = 0
                for b in 0..<size { v |= T(truncatingIfNeeded: raw[i * size + b]) << (8 * b) }
                return Double(v)
            }
        }
        switch dataType {
        case 1:
            guard raw.count == count * 4 else { return nil }
            return (0..<count).map { i in
                let bits = UInt32(raw[4 * i]) | UInt32(raw[4 * i + 1]) << 8 | UInt32(raw[4 * i + 2]) << 16
                    | UInt32(raw[4 * i + 3]) << 24
                return Double(Float(bitPattern: bits))
            }
        case 2, 9: return read(UInt8.self)
        case 3: return read(Int8.self)
        case 4: return read(UInt16.self)
        case 5: return read(Int16.self)
        case 6: return read(Int32.self)
        case 7: return read(Int64.self)
        case 12: return read(UInt32.self)
        case 13: return read(UInt64.self)
        case 21, 22:
            guard raw.count == (count + 1) / 2 else { return nil }
            return (0..<count).map { i in
                let half = Int((raw[i / 2] >> (i % 2 == 0 ? 0 : 4)) & 0xf)
                return Double(dataType == 22 && half > 7 ? half - 16 : half)
            }
        case 17, 18, 19, 20:
            // float8 zero points: ONNX requires them to be zero; report whether each byte is a zero code.
            return raw.map { $0 == 0 || $0 == 0x80 ? 0 : 1 }
        default: return nil
        }
    }
}

extension Onnx_ValueInfoProto {
    /// The element type and dimensions (each a value or a symbolic name) of a tensor type.
    var tensorDims: (dataType: Int32, dims: [Onnx_TensorShapeProto.Dimension]?)? {
        guard case .tensorType(let t)? = type.value else { return nil }
        return (t.elemType, t.hasShape ? t.shape.dim : nil)
    }
}
