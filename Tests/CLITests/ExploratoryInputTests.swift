import Foundation
import Testing

/// Inputs a new user writes by hand that once gave silent or misleading
/// answers (found by exploratory testing against the README): each must now
/// say what happened.
@Suite("Hand-written inputs are not silently misread")
struct ExploratoryInputTests {
    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-explore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func path(_ relative: String) -> String { LPSimProcess.packageRoot.appendingPathComponent(relative).path }

    /// A plan whose first override uses PyTorch-style names that no lpsim op has,
    /// whose second selects a kind the trace lacks and whose fourth is shadowed by the third.
    let plan = """
        name: my-plan
        default: {weight: bf16, input: bf16}
        overrides:
          - {name: "layers.*.mlp.*", formats: {weight: fp8_e4m3, input: fp8_e4m3}}
          - {kind: conv2d, formats: {weight: int8, input: int8}}
          - {name: "layers.attn.*", formats: {weight: fp8_e4m3}}
          - {name: "layers.attn.q_proj", formats: {weight: int8}}
          - {name: "layers.mlp.*", formats: {weight: fp8_e4m3}}

        """

    @Test("simulate and compare warn, at the override, about each override no op takes")
    func unusedOverrides() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let planFile = dir.appendingPathComponent("plan.yaml").path
        try plan.write(toFile: planFile, atomically: true, encoding: .utf8)
        let hardware = path("hardware/nvidia-h100-sxm5.yaml"), workload = path("workloads/llama-2-7b-decode-2048.yaml")
        let simulate = try LPSimProcess.run(["simulate", "--hardware", hardware, "--workload", workload,
                                             "--precision", planFile])
        #expect(simulate.status == 0, "\(simulate.stderr)")
        let compare = try LPSimProcess.run(["compare", "--hardware", hardware, "--workload", workload,
                                            "--precisions", "bf16,fp8,\(planFile)",
                                            "--output", dir.appendingPathComponent("r.md").path])
        #expect(compare.status == 0, "\(compare.stderr)")
        for r in [simulate, compare] {
            let warned = r.stderr.split(separator: "\n").filter { $0.contains("takes this override") }
            #expect(warned.count == 3, "\(r.stderr)")
            #expect(r.stderr.contains("\(planFile):4:5: warning: overrides[0]: "), "\(r.stderr)")
            #expect(r.stderr.contains("\(planFile):5:5: warning: overrides[1]: "), "\(r.stderr)")
            #expect(r.stderr.contains("\(planFile):7:5: warning: overrides[3]: "), "\(r.stderr)")
            // The overrides that do apply, and the built-in fp8 plan's attention overrides, are not named.
            #expect(!r.stderr.contains("overrides[2]") && !r.stderr.contains("overrides[4]"), "\(r.stderr)")
        }
    }

    @Test("a compare report hashes the plan files it read, whatever their name: key says")
    func planFilesHashed() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let planFile = dir.appendingPathComponent("plan.yaml").path
        try plan.write(toFile: planFile, atomically: true, encoding: .utf8)
        let report = dir.appendingPathComponent("r.md").path
        let r = try LPSimProcess.run(["compare", "--hardware", path("hardware/nvidia-h100-sxm5.yaml"),
                                      "--workload", path("workloads/llama-2-7b-decode-2048.yaml"),
                                      "--precisions", "bf16,\(planFile),\(planFile)", "--output", report])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        // One row, for the path given: the plan is named 'my-plan' inside, which names no file.
        #expect(text.components(separatedBy: "| `\(planFile)` |").count == 2, "\(text)")
        #expect(!text.contains("| `bf16` |"))
    }

    @Test("a config.json in the working directory names the model after that directory; another file by its stem")
    func configNames() throws {
        let dir = try scratch().appendingPathComponent("Mistral-7B-v0.1")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let config = try String(contentsOfFile: path("workloads/configs/llama-2-7b/config.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"_name_or_path\"", with: "\"_unused_name\"")
        try config.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try config.write(to: dir.appendingPathComponent("my-llama.json"), atomically: true, encoding: .utf8)
        for (file, name) in [("config.json", "Mistral-7B-v0.1"), ("./config.json", "Mistral-7B-v0.1"),
                             ("my-llama.json", "my-llama")] {
            let r = try LPSimProcess.run(["trace", "transformer", "--config", file, "--phase", "decode",
                                          "--position", "16"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("name: \"\(name) decode at position 16, batch 1\""),
                    "\(file): \(r.stdout.prefix(80))")
        }
    }

    @Test("trace transformer warns that a config's quantization_config is not modelled")
    func quantizationConfig() throws {
        let quantized = try LPSimProcess.run(["trace", "transformer", "--config",
                                              "workloads/configs/gpt-oss-20b/config.json", "-o", "/dev/null"])
        #expect(quantized.status == 0, "\(quantized.stderr)")
        #expect(quantized.stderr.contains("config.json:50:26: warning: quantization_config: the checkpoint is "
                                          + "quantized (quant_method 'mxfp4')"), "\(quantized.stderr)")
        let plain = try LPSimProcess.run(["trace", "transformer", "--config",
                                          "workloads/configs/llama-2-7b/config.json", "-o", "/dev/null"])
        #expect(plain.status == 0 && plain.stderr.isEmpty, "\(plain.stderr)")
    }

    @Test("a sweep variable that no hardware value uses is an error at its values")
    func unusedSweepVariable() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("spec.yaml").path
        try """
            name: unused
            hardware: \(path("hardware/scale-sim-32x32.yaml"))
            axes:
              - $bits: [16, 32]
              - workload: [\(path("workloads/resnet18-scalesim-layers.yaml"))]

            """.write(toFile: spec, atomically: true, encoding: .utf8)
        let r = try LPSimProcess.run(["sweep", spec, "--output", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("\(spec):4:12: error: ") && r.stderr.contains("'$bits' is swept but no hardware "
                                                                              + "value uses it"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
}
