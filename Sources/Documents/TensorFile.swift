import Foundation

/// The element types lpsim reads from checkpoints.
public enum TensorDType: String, Sendable, Hashable {
    case f32, f16, bf16, f64

    public var byteCount: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .f64: return 8
        }
    }
}

/// One tensor of a checkpoint file: where its little-endian elements lie.
public struct TensorEntry: Sendable, Hashable {
    public var name: String
    public var dtype: TensorDType
    public var shape: [Int]
    /// Absolute byte offset of the first element in the file.
    public var offset: Int
    public var elementCount: Int
}

/// The tensors of a `.safetensors`, `.npy` or `.npz` file, indexed without
/// reading their data (which `TensorReader` then streams in chunks).
///
/// Every problem is a `Diagnostic` naming the file, the tensor (as the key
/// path) and the byte offset: an empty or truncated file, a malformed
/// header, a size that does not match the shape, an unsupported dtype, a
/// deflate-compressed `.npz` entry (Foundation has no inflate; `np.savez`
/// writes stored entries, `np.savez_compressed` does not).
public struct TensorFile: Sendable {
    public var path: String
    public var entries: [TensorEntry]
    public var fileSize: Int

    public static func open(_ path: String) throws -> TensorFile {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Diagnostic(file: path, message: "cannot open the file")
        }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        guard size > 0 else { throw Diagnostic(file: path, message: "at byte 0: the file is empty") }
        let reader = ByteSource(handle: handle, path: path, size: size)
        let entries: [TensorEntry]
        if path.hasSuffix(".safetensors") { entries = try SafetensorsHeader.parse(reader) }
        else if path.hasSuffix(".npy") { entries = [try NPYHeader.parse(reader, at: 0, length: size, name: "array")] }
        else if path.hasSuffix(".npz") { entries = try NPZDirectory.parse(reader) }
        else {
            throw Diagnostic(file: path, message: "expected a .safetensors, .npy or .npz file")
        }
        guard !entries.isEmpty else { throw Diagnostic(file: path, message: "the file holds no tensors") }
        return TensorFile(path: path, entries: entries, fileSize: size)
    }
}

/// Positioned reads of a file.
struct ByteSource {
    let handle: FileHandle
    let path: String
    let size: Int

    func bytes(at offset: Int, count: Int, tensor: String = "", what: String) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw Diagnostic(file: path, keyPath: tensor,
                             message: "at byte \(offset): \(what) needs \(count) bytes but the file ends at \(size) (truncated?)")
        }
        try handle.seek(toOffset: UInt64(offset))
        let data = try handle.read(upToCount: count) ?? Data()
        guard data.count == count else {
            throw Diagnostic(file: path, keyPath: tensor, message: "at byte \(offset): short read of \(what)")
        }
        return [UInt8](data)
    }

    func error(_ offset: Int, _ tensor: String, _ message: String) -> Diagnostic {
        Diagnostic(file: path, keyPath: tensor, message: "at byte \(offset): \(message)")
    }
}

extension Array where Element == UInt8 {
    func littleEndian(_ at: Int, _ count: Int) -> UInt64 {
        (0..<count).reduce(UInt64(0)) { $0 | UInt64(self[at + $1]) << (8 * UInt64($1)) }
    }

    /// `littleEndian` as an `Int`, values of 2^63 and above clamped to `Int.max` (which every size and
    /// offset check then rejects as past the file's end).
    func littleEndianInt(_ at: Int, _ count: Int) -> Int { Int(clamping: littleEndian(at, count)) }
}

/// The product of `shape`, nil when it overflows `Int`.
func elementCount(_ shape: [Int]) -> Int? {
    var product = 1
    for d in shape {
        let (p, overflow) = product.multipliedReportingOverflow(by: d)
        guard !overflow else { return nil }
        product = p
    }
    return product
}

/// `count` elements of `dtype` in bytes, nil when that overflows `Int`.
func byteCount(_ count: Int, _ dtype: TensorDType) -> Int? {
    let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteCount)
    return overflow ? nil : bytes
}
