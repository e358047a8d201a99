import Foundation

/// The safetensors layout: an 8-byte little-endian header length N, N bytes
/// of JSON (`{"name": {"dtype", "shape", "data_offsets": [begin, end]}, …,
/// "__metadata__": {…}}`), then the data buffer the offsets index.
enum SafetensorsHeader {
    static func parse(_ file: ByteSource) throws -> [TensorEntry] {
        let lengthBytes = try file.bytes(at: 0, count: 8, what: "the 8-byte header length")
        let length = lengthBytes.littleEndian(0, 8)
        guard length >= 2, length <= UInt64(file.size - 8), length <= 100_000_000 else {
            throw file.error(0, "", "header length \(length) does not fit a file of \(file.size) bytes")
        }
        let json = try file.bytes(at: 8, count: Int(length), what: "the JSON header")
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)), let top = object as? [String: Any] else {
            throw file.error(8, "", "the header is not a JSON object")
        }
        let base = 8 + Int(length), buffer = file.size - base
        var entries: [TensorEntry] = []
        for (name, value) in top where name != "__metadata__" {
            guard let t = value as? [String: Any] else { throw file.error(8, name, "expected an object with dtype, shape, data_offsets") }
            let unknown = Set(t.keys).subtracting(["dtype", "shape", "data_offsets"])
            guard unknown.isEmpty else { throw file.error(8, name, "unknown key '\(unknown.sorted()[0])'") }
            guard let dt = t["dtype"] as? String else { throw file.error(8, name, "dtype: expected a string") }
            let dtype: TensorDType
            switch dt {
            case "F32": dtype = .f32
            case "F16": dtype = .f16
            case "BF16": dtype = .bf16
            case "F64": dtype = .f64
            default: throw file.error(8, name, "dtype \(dt) is not supported (F32, F16, BF16, F64)")
            }
            guard let shape = (t["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  shape.count == (t["shape"] as? [Any])?.count, shape.allSatisfy({ $0 >= 0 }) else {
                throw file.error(8, name, "shape: expected a list of non-negative integers")
            }
            guard let offsets = (t["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }), offsets.count == 2,
                  offsets[0] >= 0, offsets[1] >= offsets[0] else {
                throw file.error(8, name, "data_offsets: expected [begin, end] with 0 ≤ begin ≤ end")
            }
            let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            guard count != Int.max, count * dtype.byteCount == offsets[1] - offsets[0] else {
                throw file.error(base + offsets[0], name,
                                 "shape \(shape) of \(dt) needs \(count) × \(dtype.byteCount) bytes but data_offsets give \(offsets[1] - offsets[0])")
            }
            guard offsets[1] <= buffer else {
                throw file.error(base + offsets[0], name, "data ends at byte \(base + offsets[1]) beyond the file's \(file.size) (truncated?)")
            }
            entries.append(TensorEntry(name: name, dtype: dtype, shape: shape, offset: base + offsets[0], elementCount: count))
        }
        entries.sort { $0.offset != $1.offset ? $0.offset < $1.offset : $0.name < $1.name }
        for (a, b) in zip(entries, entries.dropFirst()) where a.offset + a.elementCount * a.dtype.byteCount > b.offset {
            throw file.error(b.offset, b.name, "overlaps tensor '\(a.name)'")
        }
        return entries
    }
}
