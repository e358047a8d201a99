import Foundation
import Testing

/// `lpsim search precision` as a user runs it, and its plan read back by `simulate` and `compare`.
@Suite("lpsim search precision")
struct SearchCommandTests {
    static let base = ["search", "precision", "--hardware", "hardware/nvidia-t4.yaml",
                       "--workload", "workloads/resnet18.yaml", "--candidates", "int8,int4"]

    static func scratch() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-search-\(UUID())")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// `simulate --json`'s total seconds under `plan`.
    static func seconds(_ plan: String) throws -> Double {
        let r = try LPSimProcess.run(["simulate", "--hardware", "hardware/nvidia-t4.yaml",
                                      "--workload", "workloads/resnet18.yaml", "--precision", plan, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return try #require((object?["totals"] as? [String: Any])?["seconds"] as? Double)
    }

    @Test("the written plan simulates within the budget, strictly between uniform INT4 and INT8; compare takes it")
    func roundTrip() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (int8, int4) = (try Self.seconds("int8"), try Self.seconds("int4"))
        let budget = (int8 + int4) / 2
        let plan = dir.appendingPathComponent("mixed.yaml").path, report = dir.appendingPathComponent("r.md").path
        let r = try LPSimProcess.run(Self.base + ["--budget", "\(budget * 1e6) us", "--plan", plan,
                                                  "--output", report])
        #expect(r.status == 0, "\(r.stderr)")
        let mixed = try Self.seconds(plan)
        #expect(mixed <= budget * (1 + 1e-12))
        #expect(int4 < mixed && mixed < int8)
        let markdown = try String(contentsOfFile: report, encoding: .utf8)
        #expect(markdown.contains("## Layers of the chosen plan") && markdown.contains("| layer1.0.conv1 |"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r-front.svg").path))
        let c = try LPSimProcess.run(["compare", "--hardware", "hardware/nvidia-t4.yaml", "--workload",
                                      "workloads/resnet18.yaml", "--precisions", "int8,\(plan),int4",
                                      "--output", dir.appendingPathComponent("c.md").path])
        #expect(c.status == 0, "\(c.stderr)")
        let compared = try String(contentsOfFile: dir.appendingPathComponent("c.md").path, encoding: .utf8)
        #expect(compared.contains("| mixed |"))
    }

    @Test("a Hessian-trace file steers the choice: the one sensitive layer keeps INT8 under a tight budget")
    func sensitivityFile() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Every matrix product of the trace, by the name its YAML gives it.
        let yaml = try String(contentsOf: LPSimProcess.packageRoot.appendingPathComponent("workloads/resnet18.yaml"),
                              encoding: .utf8)
        let layers = yaml.split(separator: "\n")
            .filter { $0.contains("kind: \"conv2d\"") || $0.contains("kind: \"gemm\"") }
            .compactMap { line in line.split(separator: "\"").dropFirst().first.map(String.init) }
        #expect(layers.count == 21 && layers.first == "conv1")
        let csv = dir.appendingPathComponent("traces.csv")
        try ("layer,trace\n" + layers.map { "\($0),\($0 == "conv1" ? "1e9" : "1")\n" }.joined())
            .write(to: csv, atomically: true, encoding: .utf8)
        let (int8, int4) = (try Self.seconds("int8"), try Self.seconds("int4"))
        let budget = int4 + (int8 - int4) * 0.3
        let r = try LPSimProcess.run(Self.base + ["--budget", "\(budget * 1e6) us", "--sensitivity", csv.path])
        #expect(r.status == 0, "\(r.stderr)")
        // INT8 is the default: a layer on it has no override (by parameter count, conv1 would be the first
        // layer in INT4). The budget leaves most layers in INT4.
        #expect(!r.stdout.contains("{name: \"conv1\""))
        #expect(r.stdout.components(separatedBy: "formats: {weight: \"int4\"").count > 10)
    }

    @Test("two runs write the same bytes (plan on standard output)")
    func deterministic() throws {
        let a = try LPSimProcess.run(Self.base + ["--budget", "0.9 ms"])
        let b = try LPSimProcess.run(Self.base + ["--budget", "0.9 ms"])
        #expect(a.status == 0 && a.stdout == b.stdout && a.stdout.contains("overrides:"))
    }

    @Test("bad inputs are clear errors, and nothing is written")
    func badInputs() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = dir.appendingPathComponent("p.yaml").path
        let low = try LPSimProcess.run(Self.base + ["--budget", "1 us", "--plan", plan])
        #expect(low.status == 1)
        #expect(low.stderr.contains("error: the latency budget 1 µs is infeasible: the cheapest plan needs "))
        #expect(!FileManager.default.fileExists(atPath: plan))
        var empty = Self.base
        empty[empty.count - 1] = ""
        #expect(try LPSimProcess.run(empty + ["--budget", "1 ms"]).status == 2)
        #expect(try LPSimProcess.run(Self.base + ["--budget", "1 mJ"]).stderr.contains("--budget: unknown unit 'mJ'"))
        #expect(try LPSimProcess.run(Self.base + ["--budget", "1 ms", "--objective", "speed"]).status == 2)
        let csv = dir.appendingPathComponent("h.csv")
        try "layer,trace\nconv1,abc\n".write(to: csv, atomically: true, encoding: .utf8)
        let bad = try LPSimProcess.run(Self.base + ["--budget", "1 ms", "--sensitivity", csv.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("\(csv.path):2:7: error: expected a finite Hessian trace ≥ 0, got 'abc'"))
    }
}
