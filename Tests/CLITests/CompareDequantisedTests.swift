import Foundation
import Testing

@Suite("compare across devices that lack a plan's formats")
struct CompareDequantisedTests {
    @Test("bf16, int4 and mxfp4 on H100 and A100: a report, each dequantised row marked with its format")
    func marksRows() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-deq-\(UUID()).md").path
        let base = (out as NSString).deletingPathExtension   // compare writes its two charts beside the report
        defer { for file in [out, base + "-pareto.svg", base + "-energy.svg"] {
            try? FileManager.default.removeItem(atPath: file)
        } }
        let r = try LPSimProcess.run(["compare", "--hardware", "hardware/nvidia-h100-sxm5.yaml",
                                      "--hardware", "hardware/nvidia-a100-sxm4-80gb.yaml",
                                      "--workload", "workloads/llama-2-7b-decode-2048.yaml",
                                      "--precisions", "bf16,int4,mxfp4", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("| NVIDIA") }
        func row(_ device: String, _ plan: String) -> Substring? {
            rows.first { $0.hasPrefix("| \(device) | \(plan) |") }
        }
        // H100 has no INT4 or MXFP4 tensor-core mode; A100 has INT4 but no MXFP4 (its datasheet's modes).
        for (device, plan, dequantised) in [("NVIDIA H100 SXM5", "int4", true), ("NVIDIA H100 SXM5", "mxfp4", true),
                                            ("NVIDIA A100 SXM4 80GB", "mxfp4", true),
                                            ("NVIDIA A100 SXM4 80GB", "int4", false),
                                            ("NVIDIA H100 SXM5", "bf16", false)] {
            let line = try #require(row(device, plan), "\(device) \(plan)")
            #expect(line.contains("**dequantised** to bf16") == dequantised, "\(line)")
        }
    }
}
