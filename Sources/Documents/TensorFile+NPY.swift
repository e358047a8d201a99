import Foundation

/// NumPy's `.npy` layout (format versions 1–3): magic `\x93NUMPY`, version,
/// a header length, a Python-literal dict `{'descr': '<f4', 'fortran_order':
/// False, 'shape': (2, 3), }`, then the elements.
enum NPYHeader {
    static func parse(_ file: ByteSource, at start: Int, length: Int, name: String) throws -> TensorEntry {
        let prefix = try file.bytes(at: start, count: min(12, length), tensor: name, what: "the .npy preamble")
        guard prefix.count >= 10, Array(prefix[0..<6]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] else {
            throw file.error(start, name, "not a .npy array (no \\x93NUMPY magic)")
        }
        let major = prefix[6]
        guard (1...3).contains(major) else { throw file.error(start + 6, name, ".npy version \(major) is not supported (1–3)") }
        let headerStart = start + (major == 1 ? 10 : 12)
        guard major == 1 || prefix.count >= 12 else { throw file.error(start, name, "truncated .npy preamble") }
        let headerLength = prefix.littleEndianInt(8, major == 1 ? 2 : 4)
        guard length >= 0, start <= Int.max - length, headerLength <= start + length - headerStart else {
            throw file.error(headerStart, name, "header of \(headerLength) bytes runs past the array's \(length) bytes (truncated?)")
        }
        let text = String(decoding: try file.bytes(at: headerStart, count: headerLength, tensor: name, what: "the .npy header"),
                          as: UTF8.self)
        func value(_ key: String) -> Substring? {
            guard let r = text.range(of: "'\(key)':") else { return nil }
            return text[r.upperBound...].drop { $0 == " " }
        }
        guard let descrValue = value("descr"), descrValue.first == "'",
              let descr = descrValue.dropFirst().split(separator: "'", maxSplits: 1).first else {
            throw file.error(headerStart, name, "header has no 'descr'")
        }
        let dtype: TensorDType
        switch descr {
        case "<f4": dtype = .f32
        case "<f2": dtype = .f16
        case "<f8": dtype = .f64
        default: throw file.error(headerStart, name, "dtype '\(descr)' is not supported (<f4, <f2, <f8; bfloat16 only in .safetensors)")
        }
        guard let fortran = value("fortran_order") else { throw file.error(headerStart, name, "header has no 'fortran_order'") }
        guard fortran.hasPrefix("False") else {
            throw file.error(headerStart, name, "fortran_order True is not supported: blocks run along the last axis of C order")
        }
        guard let shapeValue = value("shape"), shapeValue.first == "(", let close = shapeValue.firstIndex(of: ")") else {
            throw file.error(headerStart, name, "header has no 'shape' tuple")
        }
        let parts = shapeValue[shapeValue.index(after: shapeValue.startIndex)..<close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = parts.compactMap { Int($0) }
        guard shape.count == parts.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw file.error(headerStart, name, "shape \(shapeValue[...close]) is not a tuple of non-negative integers")
        }
        let dataStart = headerStart + headerLength
        let available = start + length - dataStart
        guard let count = elementCount(shape), let bytes = byteCount(count, dtype), bytes == available else {
            let bytes = elementCount(shape).flatMap { byteCount($0, dtype) }
            throw file.error(dataStart, name, "shape \(shape) of \(descr) needs "
                             + (bytes.map { "\($0) bytes" } ?? "more than 2^63 bytes") + " but \(available) follow the header"
                             + ((bytes ?? Int.max) > available ? " (truncated?)" : ""))
        }
        return TensorEntry(name: name, dtype: dtype, shape: shape, offset: dataStart, elementCount: count)
    }
}

/// A `.npz` file is a zip of `.npy` members: the central directory is read
/// (with ZIP64 sizes, which `np.savez` writes), and each member must be
/// stored (method 0).
enum NPZDirectory {
    static func parse(_ file: ByteSource) throws -> [TensorEntry] {
        let tailLength = min(file.size, 65_557)
        let tail = try file.bytes(at: file.size - tailLength, count: tailLength, what: "the zip end record")
        guard let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: {
            tail.littleEndian($0, 4) == 0x0605_4B50 }) else {
            throw file.error(file.size, "", "not a zip file (no end-of-central-directory record)")
        }
        var entries = tail.littleEndianInt(eocd + 10, 2)
        var directorySize = tail.littleEndianInt(eocd + 12, 4), directoryOffset = tail.littleEndianInt(eocd + 16, 4)
        if directoryOffset == 0xFFFF_FFFF || entries == 0xFFFF, eocd >= 20, tail.littleEndian(eocd - 20, 4) == 0x0706_4B50 {
            let record = tail.littleEndianInt(eocd - 20 + 8, 8)
            let z = try file.bytes(at: record, count: 56, what: "the ZIP64 end record")
            entries = z.littleEndianInt(32, 8); directorySize = z.littleEndianInt(40, 8); directoryOffset = z.littleEndianInt(48, 8)
        }
        let directory = try file.bytes(at: directoryOffset, count: directorySize, what: "the zip central directory")
        var result: [TensorEntry] = [], p = 0
        var names = Set<String>(), members: [(start: Int, end: Int, name: String)] = []
        for _ in 0..<entries {
            guard p + 46 <= directory.count, directory.littleEndian(p, 4) == 0x0201_4B50 else {
                throw file.error(directoryOffset + p, "", "malformed zip central directory entry")
            }
            let method = directory.littleEndian(p + 10, 2)
            var compressed = directory.littleEndianInt(p + 20, 4), uncompressed = directory.littleEndianInt(p + 24, 4)
            let nameLength = directory.littleEndianInt(p + 28, 2), extraLength = directory.littleEndianInt(p + 30, 2)
            let commentLength = directory.littleEndianInt(p + 32, 2)
            var local = directory.littleEndianInt(p + 42, 4)
            guard p + 46 + nameLength + extraLength <= directory.count else {
                throw file.error(directoryOffset + p, "", "zip central directory entry runs past the directory")
            }
            let rawName = String(decoding: directory[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            let name = rawName.hasSuffix(".npy") ? String(rawName.dropLast(4)) : rawName
            // ZIP64 extra field: the 0xFFFFFFFF fields in order (uncompressed, compressed, offset).
            var e = p + 46 + nameLength
            while e + 4 <= p + 46 + nameLength + extraLength {
                let id = directory.littleEndian(e, 2), size = directory.littleEndianInt(e + 2, 2)
                if id == 0x0001 {
                    var q = e + 4
                    let fieldEnd = min(e + 4 + size, p + 46 + nameLength + extraLength)
                    func next() throws -> Int {
                        guard q + 8 <= fieldEnd else {
                            throw file.error(directoryOffset + e, name, "ZIP64 extra field of \(size) bytes is too short")
                        }
                        defer { q += 8 }
                        return directory.littleEndianInt(q, 8)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                    if compressed == 0xFFFF_FFFF { compressed = try next() }
                    if local == 0xFFFF_FFFF { local = try next() }
                }
                e += 4 + size
            }
            guard method == 0 else {
                throw file.error(local, name, "zip member is \(method == 8 ? "deflate-compressed (np.savez_compressed)" : "compressed (method \(method))"); lpsim reads stored members only (np.savez): Foundation has no inflate")
            }
            let header = try file.bytes(at: local, count: 30, tensor: name, what: "the zip local header")
            guard header.littleEndian(0, 4) == 0x0403_4B50 else { throw file.error(local, name, "malformed zip local header") }
            let dataStart = local + 30 + header.littleEndianInt(26, 2) + header.littleEndianInt(28, 2)
            guard compressed == uncompressed, dataStart <= file.size, compressed <= file.size - dataStart else {
                throw file.error(dataStart, name, "member of \(compressed) bytes runs past the file's end at \(file.size) (truncated?)")
            }
            guard names.insert(name).inserted else { throw file.error(local, name, "a second zip member of this name") }
            let entry = try NPYHeader.parse(file, at: dataStart, length: uncompressed, name: name)
            result.append(entry)
            members.append((dataStart, dataStart + uncompressed, name))
            p += 46 + nameLength + extraLength + commentLength
        }
        // Members that share bytes (a crafted directory pointing many entries at one member) would be
        // read once per entry: refused, as safetensors' overlapping tensors are.
        members.sort { $0.start < $1.start }
        for (a, b) in zip(members, members.dropFirst()) where a.end > b.start {
            throw file.error(b.start, b.name, "zip member overlaps member '\(a.name)'")
        }
        return result
    }
}
