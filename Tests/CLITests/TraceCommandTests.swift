import Foundation
import Testing

@Suite("lpsim trace")
struct TraceCommandTests {
    func summary(_ args: [String]) throws -> [String: Any] {
        let r = try LPSimProcess.run(args + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test("trace import reads SCALE-Sim CSVs whatever their header; --gemm reads rows as GEMMs")
    func importScaleSim() throws {
        let crlf = try LPSimProcess.run(["trace", "import",
                                         "Tests/WorkloadTests/Fixtures/scalesim-topologies/GEMM_mnk/gpt2.csv"])
        #expect(crlf.status == 0 && crlf.stdout.contains("kind: \"gemm\""), "\(crlf.stderr)")
        let told = try LPSimProcess.run(["trace", "import", "--gemm",
                                         "Tests/WorkloadTests/Fixtures/scalesim-topologies/GEMM_mnk/gpt2.csv"])
        #expect(told.status == 0 && told.stdout == crlf.stdout.replacingOccurrences(of: "trace import Tests", with: "trace import --gemm Tests"))
    }

    @Test("the shipped workloads summarise to the published totals")
    func shipped() throws {
        let resnet = try summary(["trace", "summary", "workloads/resnet50.yaml"])
        #expect(abs((resnet["macs"] as! Double) / 4.1e9 - 1) < 0.02)
        let llama = try summary(["trace", "summary", "workloads/llama-2-7b-decode-2048.yaml", "--precision", "w4a16"])
        #expect(abs((llama["parameters"] as! Double) / 6.74e9 - 1) < 0.02)
        let bytes = try #require(llama["bytes_by_format"] as? [String: Double])
        // INT4 weights in groups of 128 with FP16 scales: 4.125 bits per weight.
        #expect(bytes["int4_g128"] != nil)
    }

    @Test("generated traces are deterministic and record their command")
    func generate() throws {
        let a = try LPSimProcess.run(["trace", "cnn", "--model", "resnet18"])
        let b = try LPSimProcess.run(["trace", "cnn", "--model", "resnet18"])
        #expect(a.status == 0 && a.stdout == b.stdout)
        #expect(a.stdout.contains("generated_by: \"lpsim trace cnn --model resnet18\""))
    }

    @Test("a failed generation leaves no partial output file")
    func atomic() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-trace-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("out.yaml").path
        try "previous\n".write(toFile: target, atomically: true, encoding: .utf8)
        let r = try LPSimProcess.run(["trace", "transformer", "--config", "Tests/WorkloadTests/Bad/config-bad-type.json", "-o", target])
        #expect(r.status != 0)
        #expect(r.stderr.contains("config-bad-type.json:3:18: error:"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "previous\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.yaml"])
    }

    @Test("validate accepts traces, plans and configs, and rejects bad ones with positions")
    func validate() throws {
        let ok = try LPSimProcess.run(["validate", "workloads/resnet50.yaml", "workloads/gemm-sweep.jsonl",
                                       "workloads/plans/mixed-int8-fp8-attention.yaml", "workloads/configs/llama-2-7b/config.json",
                                       "Tests/WorkloadTests/Fixtures/gemm-scalesim.csv"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let bad = try LPSimProcess.run(["validate", "Tests/WorkloadTests/Bad/overflow.yaml"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("overflow.yaml:3:5: error: ops[0]: the dimension product overflows 64 bits"))
        let plan = try LPSimProcess.run(["trace", "summary", "workloads/resnet50.yaml", "--precision", "int9"])
        #expect(plan.status != 0 && plan.stderr.contains("unknown precision plan 'int9'"))
    }
}
