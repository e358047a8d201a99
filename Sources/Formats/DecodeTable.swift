/// Every value of a format of at most 16 bits, indexed by code: decoding
/// becomes one load, the fastest path for bulk work.
public struct DecodeTable: Sendable {
    /// `values[code]` is the value of `code` as a `Float` (formats whose
    /// values exceed a `Float`'s range decode to ±∞ here).
    public let values: [Float]

    /// - Precondition: `format.bitWidth <= 16`.
    public init(_ format: some ScalarFormat) {
        precondition(format.bitWidth <= 16, "a decode table holds formats of at most 16 bits")
        values = (0..<(1 << format.bitWidth)).map { Float(format.decode(UInt32($0))) }
    }

    @inlinable
    public subscript(code: Int) -> Float { values[code] }

    /// Decodes `codes` into `output`, which must be at least as long.
    @inlinable
    public func decode(_ codes: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<Float>) {
        decodeLoop(codes, into: output)
    }

    /// Decodes `codes` into `output`, which must be at least as long.
    @inlinable
    public func decode(_ codes: UnsafeBufferPointer<UInt16>, into output: UnsafeMutableBufferPointer<Float>) {
        decodeLoop(codes, into: output)
    }

    @inlinable @inline(__always)
    func decodeLoop<Code: FixedWidthInteger>(_ codes: UnsafeBufferPointer<Code>,
                                             into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count >= codes.count)
        values.withUnsafeBufferPointer { table in
            let mask = table.count - 1
            for i in codes.indices {
                output[i] = table[Int(truncatingIfNeeded: codes[i]) & mask]
            }
        }
    }
}
