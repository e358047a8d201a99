import Foundation
import Testing

/// `error --tensors` says when a tensor's QSNR leaves elements out (NaN, infinities) or measures nothing
/// (no non-zero finite element), instead of printing a figure as if it were whole.
@Suite("error --tensors warns about non-finite and all-zero tensors")
struct TensorWarningTests {
    /// A little-endian safetensors file of F32 tensors, written from its documented layout
    /// (8-byte header length, JSON header, data).
    static func safetensors(_ tensors: [(String, [Float])]) throws -> URL {
        var header: [String] = [], data = Data(), offset = 0
        for (name, values) in tensors {
            header.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\(values.count)],"
                          + "\"data_offsets\":[\(offset),\(offset + 4 * values.count)]}")
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            offset += 4 * values.count
        }
        let json = Data(("{" + header.joined(separator: ",") + "}").utf8)
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(data)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tw-\(UUID().uuidString).safetensors")
        try file.write(to: url)
        return url
    }

    @Test("NaN elements and an all-zero tensor are named on standard error; a clean tensor is not")
    func warnings() throws {
        let url = try Self.safetensors([("clean", [1, -2, 3, 0.5]), ("holes", [1, .nan, 2, .infinity]),
                                        ("zeros", [0, 0, 0, 0])])
        defer { try? FileManager.default.removeItem(at: url) }
        let r = try LPSimProcess.run(["error", "--tensors", url.path, "--format", "int8"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: tensor 'holes': 2 of 4 elements are NaN or infinite"), "\(r.stderr)")
        #expect(r.stderr.contains("warning: tensor 'zeros' has no non-zero finite element"), "\(r.stderr)")
        #expect(!r.stderr.contains("'clean'"), "\(r.stderr)")
    }
}
