import Documents
import Foundation
import Testing

/// Crafted checkpoints whose sizes, offsets or counts overflow 64 bits, or whose zip directory points
/// several members at one, are positioned errors: never a trap, never a read per duplicate.
@Suite("tensor files with overflowing or overlapping fields")
struct TensorFileHostileTests {
    static func write(_ bytes: [UInt8], _ suffix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tf-\(UUID().uuidString)\(suffix)")
        try Data(bytes).write(to: url)
        return url.path
    }

    static func safetensors(_ header: String, data: Int = 16) -> [UInt8] {
        let json = Array(header.utf8)
        return (0..<8).map { UInt8((json.count >> (8 * $0)) & 0xff) } + json + [UInt8](repeating: 0, count: data)
    }

    static func npy(_ shape: String) -> [UInt8] {
        var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }".utf8)
        while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0a)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xff), UInt8(header.count >> 8)]
            + header + [UInt8](repeating: 0, count: 16)
    }

    func rejects(_ bytes: [UInt8], _ suffix: String, _ message: String) throws {
        let path = try Self.write(bytes, suffix)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: Diagnostic.self) { _ = try TensorFile.open(path) }
        do { _ = try TensorFile.open(path) } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test("safetensors: a shape or offsets past 2^63, a boolean dimension")
    func safetensors() throws {
        try rejects(Self.safetensors(#"{"a":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,16]}}"#),
                    ".safetensors", "needs more than 2^63 bytes")
        try rejects(Self.safetensors(
            #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775803,9223372036854775807]}}"#),
                    ".safetensors", "at byte 8: data ends at byte 2^63 or beyond")
        try rejects(Self.safetensors(#"{"a":{"dtype":"F32","shape":[true,4],"data_offsets":[0,16]}}"#),
                    ".safetensors", "shape: expected a list of non-negative integers")
    }

    @Test(".npy: a shape whose element or byte count overflows")
    func npy() throws {
        try rejects(Self.npy("(4294967296, 4294967296)"), ".npy", "needs more than 2^63 bytes")
        try rejects(Self.npy("(4611686018427387904,)"), ".npy", "needs more than 2^63 bytes")
    }

    @Test(".npz: two directory entries for one member are refused")
    func npz() throws {
        // One stored member "a.npy" (local header + data), then two central-directory entries for it.
        let member = Self.npy("(4,)"), name = Array("a.npy".utf8)
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * $0)) & 0xff) } }
        let local = le(0x0403_4B50, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
            + le(member.count, 4) + le(member.count, 4) + le(name.count, 2) + le(0, 2) + name + member
        let entry = le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
            + le(member.count, 4) + le(member.count, 4) + le(name.count, 2) + le(0, 2) + le(0, 2) + le(0, 2)
            + le(0, 2) + le(0, 4) + le(0, 4) + name
        let directory = entry + entry
        let end = le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(2, 2) + le(2, 2) + le(directory.count, 4)
            + le(local.count, 4) + le(0, 2)
        try rejects(local + directory + end, ".npz", "a second zip member of this name")
    }
}
