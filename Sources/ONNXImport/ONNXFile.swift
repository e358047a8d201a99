import Documents
import Foundation
import SwiftProtobuf
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an ONNX file's graph without holding its weights.
///
/// The file is memory-mapped, and a protobuf wire-format pass copies the
/// model's structure (nodes, value infos, initializer names, types and
/// dimensions) into a small buffer that swift-protobuf then decodes: a
/// tensor payload (`raw_data`, `float_data`, …) is copied only when it is at
/// most `keptPayloadBytes` (integer types) or `keptFloatPayloadBytes` (the
/// rest) and the payloads kept so far stay under `keptPayloadTotal` — enough
/// for shape vectors, zero points and scalar quantization parameters, never
/// for float weights (small integer weights may be kept, within the total). A 2 GB model therefore
/// costs its mapped pages as they are scanned (the kernel may drop them) plus
/// its structure, and the import reads shapes from `dims` alone.
///
/// Files above `maxFileBytes` are refused: protobuf messages cannot exceed
/// 2 GiB, and larger ONNX models keep their weights in external data files.
enum ONNXFile {
    static let maxFileBytes = 2 << 30
    static let keptPayloadBytes = 64 << 10
    /// Float tensors are kept only as scalars and short vectors (QONNX bit widths, scales).
    static let keptFloatPayloadBytes = 256
    static let keptPayloadTotal = 16 << 20

    static func read(_ path: String) throws -> Onnx_ModelProto {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw Diagnostic(file: path, message: "cannot open the file (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw Diagnostic(file: path, message: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size > 0 else { throw Diagnostic(file: path, message: "not an ONNX model: the file is empty") }
        guard size <= maxFileBytes else {
            throw Diagnostic(file: path, message: "the file is \(size) bytes, above the importer's limit of "
                             + "\(maxFileBytes) bytes "
                             + "(2 GiB, protobuf's own limit; save larger models with external data)")
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw Diagnostic(file: path, message: "cannot map the file (\(String(cString: strerror(errno))))")
        }
        defer { munmap(base, size) }
        let bytes = UnsafeRawBufferPointer(start: base, count: size)
        var stripper = WireStripper(bytes: bytes)
        let structure: [UInt8]
        do { structure = try stripper.model() } catch {
            throw Diagnostic(file: path, message: "not an ONNX model: \(error.message)")
        }
        let model: Onnx_ModelProto
        do { model = try Onnx_ModelProto(serializedBytes: structure) } catch {
            throw Diagnostic(file: path, message: "not an ONNX model: protobuf decoding failed (\(error))")
        }
        guard model.irVersion > 0, model.hasGraph else {
            throw Diagnostic(file: path, message: "not an ONNX model: no " + (model.hasGraph ? "ir_version" : "graph"))
        }
        return model
    }
}

/// A malformed protobuf stream, at a byte offset of the file.
struct WireError: Error {
    var message: String
}

/// Copies the protobuf wire format of a `ModelProto`, descending into the
/// messages that can hold tensors and leaving out large tensor payloads.
///
/// Field numbers are onnx.proto's (onnx 1.23.2): ModelProto.graph = 7,
/// .training_info = 20, .functions = 25; GraphProto.node = 1,
/// .initializer = 5, .sparse_initializer = 15; NodeProto.attribute = 5;
/// AttributeProto.t = 5, .g = 6, .tensors = 10, .graphs = 11;
/// FunctionProto.node = 7; TrainingInfoProto.initialization = 1,
/// .algorithm = 2; SparseTensorProto.values = 1, .indices = 2;
/// TensorProto data: float 4, int32 5, string 6, int64 7, raw 9, double 10, uint64 11.
struct WireStripper {
    enum Message { case model, graph, node, attribute, function, training, sparse, tensor }

    let bytes: UnsafeRawBufferPointer
    var kept = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func model() throws(WireError) -> [UInt8] {
        var out: [UInt8] = []
        try copy(.model, from: 0, to: bytes.count, into: &out)
        return out
    }

    static func child(_ message: Message, _ field: UInt64) -> Message? {
        switch (message, field) {
        case (.model, 7): return .graph
        case (.model, 20): return .training
        case (.model, 25): return .function
        case (.training, 1), (.training, 2): return .graph
        case (.graph, 1): return .node
        case (.graph, 5): return .tensor
        case (.graph, 15): return .sparse
        case (.function, 7): return .node
        case (.node, 5): return .attribute
        case (.attribute, 5), (.attribute, 10): return .tensor
        case (.attribute, 6), (.attribute, 11): return .graph
        case (.sparse, 1), (.sparse, 2): return .tensor
        default: return nil
        }
    }

    static let payloadFields: Set<UInt64> = [4, 5, 6, 7, 9, 10, 11]
    /// Integer (and float8, as zero points) data types: shapes, axes and zero points, kept up to 64 KiB.
    static let integerTypes: Set<UInt64> = [2, 3, 4, 5, 6, 7, 9, 12, 13, 17, 18, 19, 20, 21, 22, 25, 26]

    func varint(_ at: inout Int, end: Int) throws(WireError) -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard at < end else { throw WireError(message: "truncated varint at byte \(at)") }
            let b = bytes[at]
            at += 1
            guard shift < 64 else { throw WireError(message: "varint too long at byte \(at)") }
            value |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
        }
    }

    static func appendVarint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    /// Copies the fields of one message occupying `start..<end`.
    mutating func copy(_ message: Message, from start: Int, to end: Int, into out: inout [UInt8]) throws(WireError) {
        var at = start
        // A tensor's payload is kept or dropped as a whole: first measure it.
        var keepPayload = true
        if message == .tensor {
            var size = 0, scan = start, dataType: UInt64 = 0
            while scan < end {
                let (field, wire, valueStart, valueEnd) = try next(&scan, end: end)
                if field == 2 && wire == 0 { var v = valueStart; dataType = try varint(&v, end: valueEnd) }
                if Self.payloadFields.contains(field) { size += valueEnd - valueStart }
            }
            let limit = Self.integerTypes.contains(dataType)
                ? ONNXFile.keptPayloadBytes : ONNXFile.keptFloatPayloadBytes
            keepPayload = size <= limit && kept + size <= ONNXFile.keptPayloadTotal
            if keepPayload { kept += size }
        }
        while at < end {
            let fieldStart = at
            let (field, wire, valueStart, valueEnd) = try next(&at, end: end)
            if message == .tensor && !keepPayload && Self.payloadFields.contains(field) { continue }
            if wire == 2, let child = Self.child(message, field) {
                var inner: [UInt8] = []
                try copy(child, from: valueStart, to: valueEnd, into: &inner)
                Self.appendVarint(field << 3 | 2, &out)
                Self.appendVarint(UInt64(inner.count), &out)
                out.append(contentsOf: inner)
            } else {
                out.append(contentsOf: bytes[fieldStart..<valueEnd])
            }
        }
    }

    /// Reads one field's key and finds its value's extent.
    func next(_ at: inout Int, end: Int) throws(WireError) -> (UInt64, UInt64, Int, Int) {
        let keyAt = at
        let key = try varint(&at, end: end)
        let field = key >> 3, wire = key & 7
        guard field > 0 else { throw WireError(message: "field number 0 at byte \(keyAt)") }
        let valueStart = at
        switch wire {
        case 0: _ = try varint(&at, end: end)
        case 1: at += 8
        case 5: at += 4
        case 2:
            let length = try varint(&at, end: end)
            guard length <= UInt64(end - at) else {
                throw WireError(message: "truncated: a field of \(length) bytes at byte \(keyAt) runs past the end "
                                + "of its message (byte \(end))")
            }
            let valueStart = at
            at += Int(length)
            return (field, wire, valueStart, at)
        default: throw WireError(message: "wire type \(wire) (groups or garbage) at byte \(keyAt)")
        }
        guard at <= end else { throw WireError(message: "truncated at byte \(keyAt): the value runs past byte \(end)") }
        return (field, wire, valueStart, at)
    }
}
