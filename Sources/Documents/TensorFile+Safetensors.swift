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
            // JSON numbers: integers only (4.9 is not a dimension; NSNumber's intValue would truncate it),
            // and not true or false (JSONSerialization's booleans are NSNumbers of type "c").
            func integers(_ key: String) -> [Int]? {
                guard let list = t[key] as? [Any] else { return nil }
                let numbers = list.compactMap { $0 as? NSNumber }
                guard numbers.count == list.count, numbers.allSatisfy({
                    Double($0.int64Value) == $0.doubleValue && String(cString: $0.objCType) != "c"
                }) else { return nil }
                return numbers.map { Int($0.int64Value) }
            }
            guard let shape = integers("shape"), shape.allSatisfy({ $0 >= 0 }) else {
                throw file.error(8, name, "shape: expected a list of non-negative integers")
            }
            guard let offsets = integers("data_offsets"), offsets.count == 2, offsets[0] >= 0, offsets[1] >= offsets[0]
            else {
                throw file.error(8, name, "data_offsets: expected [begin, end] with 0 ≤ begin ≤ end")
            }
            guard offsets[1] <= buffer else {
                // Offsets near 2^63 would overflow as absolute positions: those are positioned at the header.
                let end = offsets[1].addingReportingOverflow(base)
                throw file.error(offsets[0] <= buffer ? base + offsets[0] : 8, name,
                                 "data ends at byte \(end.overflow ? "2^63 or beyond" : "\(end.partialValue)") "
                                 + "beyond the file's \(file.size) (truncated?)")
            }
            let count = elementCount(shape) ?? -1, bytes = count < 0 ? nil : byteCount(count, dtype)
            guard let bytes, bytes == offsets[1] - offsets[0] else {
                let needs = bytes.map { "\($0) bytes" } ?? "more than 2^63 bytes"
                throw file.error(base + offsets[0], name,
                                 "shape \(shape) of \(dt) needs \(needs) but data_offsets give \(offsets[1] - offsets[0])")
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
