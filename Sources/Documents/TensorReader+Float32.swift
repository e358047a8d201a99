extension TensorReader {
    /// Elements `range` as float32, for the bulk kernels: exact for fp32,
    /// bf16 and fp16 tensors (each converts to a float without rounding);
    /// nil for fp64, which callers read with `read(_:)`.
    public func readFloats(_ range: Range<Int>) throws -> [Float]? {
        guard entry.dtype != .f64 else { return nil }
        let size = entry.dtype.byteCount
        let offset = entry.offset + range.lowerBound * size
        try handle.seek(toOffset: UInt64(offset))
        guard let data = try handle.read(upToCount: range.count * size), data.count == range.count * size else {
            throw Diagnostic(file: path, keyPath: entry.name,
                             message: "at byte \(offset): the file ends inside the tensor (truncated?)")
        }
        let n = range.count
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            data.withUnsafeBytes { raw in
                switch entry.dtype {
                case .f32:
                    for i in 0..<n {
                        let bits = raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian
                        out[i] = Float(bitPattern: bits)
                    }
                case .bf16:
                    for i in 0..<n {
                        let bits = raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian
                        out[i] = Float(bitPattern: UInt32(bits) << 16)
                    }
                case .f16:
                    for i in 0..<n {
                        let bits = raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian
                        out[i] = Float(halfToDouble(bits))
                    }
                case .f64:
                    break
                }
            }
            initialized = n
        }
    }
}
