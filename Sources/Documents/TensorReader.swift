import Foundation

/// Streams a tensor's elements as Doubles, `chunk` elements at a time, with
/// its own file handle (so readers on different threads do not share a
/// seek position). Memory is one chunk of raw bytes and one of Doubles.
public struct TensorReader {
    public let entry: TensorEntry
    let handle: FileHandle
    let path: String

    public init(file: TensorFile, entry: TensorEntry) throws {
        guard let h = FileHandle(forReadingAtPath: file.path) else {
            throw Diagnostic(file: file.path, keyPath: entry.name, message: "cannot open the file")
        }
        self.entry = entry
        self.handle = h
        self.path = file.path
    }

    public func close() { try? handle.close() }

    /// Elements `range` of the tensor (flattened, C order).
    public func read(_ range: Range<Int>) throws -> [Double] {
        let size = entry.dtype.byteCount
        let offset = entry.offset + range.lowerBound * size
        try handle.seek(toOffset: UInt64(offset))
        guard let data = try handle.read(upToCount: range.count * size), data.count == range.count * size else {
            throw Diagnostic(file: path, keyPath: entry.name, message: "at byte \(offset): the file ends inside the tensor (truncated?)")
        }
        var out = [Double](repeating: 0, count: range.count)
        data.withUnsafeBytes { raw in
            switch entry.dtype {
            case .f32:
                for i in 0..<range.count { out[i] = Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian)) }
            case .f64:
                for i in 0..<range.count { out[i] = Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian) }
            case .bf16:
                for i in 0..<range.count {
                    let bits = UInt32(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) << 16
                    out[i] = Double(Float(bitPattern: bits))
                }
            case .f16:
                for i in 0..<range.count { out[i] = halfToDouble(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) }
            }
        }
        return out
    }
}

/// IEEE binary16 bits to a Double, exactly (subnormals, ±∞ and NaN included).
@inline(__always)
func halfToDouble(_ h: UInt16) -> Double {
    let sign: Double = h & 0x8000 != 0 ? -1 : 1
    let e = Int((h >> 10) & 0x1F), m = Double(h & 0x3FF)
    if e == 0 { return sign * m * 0x1p-24 }
    if e == 31 { return m == 0 ? sign * .infinity : .nan }
    return sign * (1 + m / 1024) * Double(sign: .plus, exponent: e - 15, significand: 1)
}
