import Foundation
import Testing

/// A SCALE-Sim topology's layer name is taken as SCALE-Sim takes it, control characters and all; the terminal
/// table prints them as spaces so that the row stays one line and its columns stay aligned.
@Suite("simulate's table keeps each op on one line, whatever its name")
struct TableNameTests {
    @Test("a layer name with a tab and a control character prints as one aligned row")
    func controlCharacters() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-table-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let topology = dir.appendingPathComponent("topo.csv")
        try "Layer, M, N, K,\nab\u{1}c\td, 64, 64, 64,\n".write(to: topology, atomically: true, encoding: .utf8)
        let device = LPSimProcess.packageRoot.appendingPathComponent("hardware/scale-sim-32x32.yaml").path
        let r = try LPSimProcess.run(["simulate", "--hardware", device, "--workload", topology.path,
                                      "--precision", "int8"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let row = try #require(lines.firstIndex { $0.hasPrefix("ab c d") }, "\(r.stdout)")
        #expect(!r.stdout.unicodeScalars.contains { $0 == "\u{1}" || $0 == "\t" })
        // Aligned: the kind column starts where the header's does.
        let header = try #require(lines.first { $0.hasPrefix("op ") })
        #expect(header.range(of: "kind")?.lowerBound.utf16Offset(in: header)
                == lines[row].range(of: "gemm")?.lowerBound.utf16Offset(in: lines[row]))
    }
}
