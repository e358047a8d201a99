import Documents
import Foundation
import Testing
import Workload

/// YAML merge keys, as Timeloop and Kubernetes files use them (`<<: *defaults`):
/// lpsim does not merge, and a trace op written `{<<: *g, name: b}` was
/// reported as "missing required key 'kind'", which sends the user looking
/// for a typo that is not there.
@Suite("YAML merge keys are named, not misreported")
struct YAMLMergeKeyTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("lpsim-merge-\(UUID().uuidString).yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    @Test("a plain '<<' key is an error at that key, in a trace and in a plan")
    func refused() throws {
        let trace = try write("ops:\n  - &g {name: a, kind: gemm, m: 16, n: 64, k: 64}\n  - {<<: *g, name: b}\n")
        let plan = try write("default: &d {weight: bf16, input: bf16}\noverrides:\n  - {name: x, formats: {<<: *d}}\n")
        defer { try? FileManager.default.removeItem(atPath: trace); try? FileManager.default.removeItem(atPath: plan) }
        for (path, load, at, keyPath) in [
            (trace, { _ = try TraceReader.load(trace) }, (3, 6), "ops[1].<<"),
            (plan, { _ = try PrecisionPlan.load(plan) }, (3, 25), "overrides[0].formats.<<"),
        ] as [(String, () throws -> Void, (Int, Int), String)] {
            do {
                try load()
                Issue.record("\(path) loaded")
            } catch let d as Diagnostic {
                #expect(d.line == at.0 && d.column == at.1 && d.keyPath == keyPath, "\(d)")
                #expect(d.message.hasPrefix("YAML merge keys ('<<: *anchor') are not supported"), "\(d)")
            }
        }
    }

    @Test("a quoted \"<<\" is an ordinary (here unknown) key, and a whole-value alias still works")
    func ordinary() throws {
        let quoted = try write("ops:\n  - {name: a, kind: gemm, m: 16, n: 64, k: 64, \"<<\": 5}\n")
        let alias = try write("ops:\n  - &g {name: a, kind: gemm, m: 16, n: 64, k: 64}\n  - *g\n")
        defer {
            try? FileManager.default.removeItem(atPath: quoted)
            try? FileManager.default.removeItem(atPath: alias)
        }
        #expect(throws: Diagnostic.self) { _ = try TraceReader.load(quoted) }
        do { _ = try TraceReader.load(quoted) } catch let d as Diagnostic { #expect(d.message.contains("unknown key")) }
        #expect(try TraceReader.load(alias).ops.count == 2)
    }
}
