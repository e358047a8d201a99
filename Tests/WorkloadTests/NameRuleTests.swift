import Documents
import Foundation
import Testing
@testable import Workload

/// Names head sections, label rows and key files: a null, empty or multi-line one is an error where it is read.
@Suite("Names are non-empty, one-line text: a null, empty or multi-line name is an error at its position")
struct NameRuleTests {
    func file(_ text: String, _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func expectError(_ expected: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("accepted; expected \(expected)")
        } catch let d as Diagnostic {
            #expect(d.description.contains(expected), "\(d.description)")
        } catch { Issue.record("\(error)") }
    }

    static let op = "    kind: gemm\n    m: 4\n    n: 4\n    k: 4\n"

    @Test("YAML traces", arguments: [
        ("name: null\nops:\n  - kind: gemm\n    m: 4\n    n: 4\n    k: 4\n",
         "t.yaml:1:7: error: name: expected a name"),
        ("name: ''\nops:\n  - kind: gemm\n    m: 4\n    n: 4\n    k: 4\n",
         "t.yaml:1:7: error: name: a name must not be empty"),
        ("ops:\n  - name: ~\n" + op, "t.yaml:2:11: error: ops[0].name: expected a name (a non-empty string), got null"),
        ("ops:\n  - name: \"a\\nb\"\n" + op, "ops[0].name: a name must not contain line breaks, tabs or other control "
            + "characters, got 'a\\nb'"),
    ])
    func yamlTraces(text: String, expected: String) throws {
        let path = try file(text, "t.yaml")
        expectError(expected) { _ = try TraceReader.load(path) }
    }

    @Test("a Unicode line separator (U+2028) breaks lines as a newline does")
    func lineSeparator() throws {
        let path = try file("ops:\n  - name: \"a\\u2028b\"\n" + Self.op, "t.yaml")
        expectError("ops[0].name: a name must not contain line breaks") { _ = try TraceReader.load(path) }
    }

    @Test("the words null and ~ quoted are names, not nulls")
    func quoted() throws {
        let trace = try TraceReader.load(try file("name: 'null'\nops:\n  - name: \"~\"\n" + Self.op, "t.yaml"))
        #expect(trace.name == "null" && trace.ops[0].name == "~")
    }

    static let control = "a name must not contain line breaks, tabs or other control characters, got "

    /// A line of ops is read by the general reader on line 1 and by `FastJSONOp` from line 2 on (which hands
    /// a line it refuses to the general reader, whose message it is): each op is tried at both.
    @Test("JSON Lines ops, on the general path (line 1) and the fast path (line 2)", arguments: [
        ("{\"kind\":\"gemm\",\"name\":\"\",\"m\":4,\"n\":4,\"k\":4}", "a name must not be empty"),
        ("{\"kind\":\"gemm\",\"name\":\"  \",\"m\":4,\"n\":4,\"k\":4}", "a name must not be empty"),
        ("{\"kind\":\"gemm\",\"name\":\"a\\tb\",\"m\":4,\"n\":4,\"k\":4}", control + "'a\\tb'"),
        // DEL is printable ASCII's neighbour but a control character; JSON lets it stand unescaped.
        ("{\"kind\":\"gemm\",\"name\":\"a\u{7F}b\",\"m\":4,\"n\":4,\"k\":4}", control + "'a\\u{7f}b'"),
    ])
    func jsonLines(line: String, expected: String) throws {
        let first = try file(line + "\n", "t.jsonl")
        expectError("t.jsonl:1:23: error: name: " + expected) { _ = try TraceReader.load(first) }
        let second = try file("{\"kind\":\"gemm\",\"m\":4,\"n\":4,\"k\":4}\n" + line + "\n", "t.jsonl")
        expectError("t.jsonl:2:23: error: name: " + expected) { _ = try TraceReader.load(second) }
    }

    @Test("a JSON Lines header's blank name")
    func jsonLinesHeader() throws {
        let text = "{\"lpsim_trace\":1,\"name\":\" \"}\n{\"kind\":\"gemm\",\"m\":4,\"n\":4,\"k\":4}\n"
        expectError("a name must not be empty") { _ = try TraceReader.load(try file(text, "t.jsonl")) }
    }
}
