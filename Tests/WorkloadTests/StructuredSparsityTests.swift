import Foundation
import Testing
@testable import Workload

@Suite("N:M structured sparsity in traces")
struct StructuredSparsityTests {
    func temporary(_ text: String, _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-nm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent(name).path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("kept rows: N per whole group of M, and min(K mod M, N) of a partial group")
    func keptRows() {
        #expect(StructuredSparsity(n: 2, m: 4).keptRows(64) == 32)
        #expect(StructuredSparsity(n: 3, m: 8).keptRows(17) == 7)   // 2 groups × 3 + min(1, 3)
        #expect(StructuredSparsity(n: 5, m: 8).keptRows(300) == 189)   // 37 × 5 + min(4, 5)
        #expect(StructuredSparsity("3:2") == nil && StructuredSparsity("2:4:1") == nil && StructuredSparsity("0:4") == nil)
    }

    @Test("a YAML trace's 1:4 is read, written back and read again; 2:4 stays sparse24, 4:4 is dense")
    func roundTrip() throws {
        let text = """
            name: t
            ops:
              - {name: a, kind: gemm, m: 4, n: 8, k: 16, sparsity: "1:4"}
              - {name: b, kind: gemm, m: 4, n: 8, k: 16, sparsity: "2:4"}
              - {name: c, kind: gemm, m: 4, n: 8, k: 16, sparsity: "4:4"}
            """
        let trace = try TraceReader.load(try temporary(text, "t.yaml"))
        #expect(trace.ops[0].weightSparsity == StructuredSparsity(n: 1, m: 4))
        #expect(trace.ops[1].sparse24 && trace.ops[1].structuredSparsity == nil)
        #expect(trace.ops[2].weightSparsity == nil)
        for (written, name) in [(TraceWriter.yaml(trace), "t.yaml"), (TraceWriter.jsonLines(trace), "t.jsonl")] {
            let again = try TraceReader.load(try temporary(written, name))
            #expect(again.ops == trace.ops)
        }
    }
}
