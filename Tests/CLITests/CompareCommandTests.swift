import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("lpsim compare and lpsim report")
struct CompareCommandTests {
    static func scratch() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-compare-\(UUID())")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func compare(_ dir: URL, name: String = "r") throws -> LPSimProcess.Result {
        try LPSimProcess.run(["compare", "--hardware", "hardware/scale-sim-32x32.yaml", "--workload", "workloads/resnet18.yaml",
                              "--precisions", "int8,fp8,int4", "--output", dir.appendingPathComponent("\(name).md").path,
                              "--json", dir.appendingPathComponent("\(name).json").path])
    }

    @Test("two runs give byte-identical Markdown, SVG and JSON; report re-renders the same Markdown")
    func deterministic() throws {
        let a = try Self.scratch(), b = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        #expect(try compare(a).status == 0)
        #expect(try compare(b).status == 0)
        // The outputs differ only in the command line, which names their own directory.
        func read(_ dir: URL, _ name: String) throws -> String {
            try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).replacingOccurrences(of: dir.path, with: "DIR")
        }
        for name in ["r.md", "r-pareto.svg", "r-energy.svg", "r.json"] {
            #expect(try read(a, name) == read(b, name), "\(name)")
        }
        let rerender = try LPSimProcess.run(["report", a.appendingPathComponent("r.json").path, "--output", b.appendingPathComponent("r.md").path])
        #expect(rerender.status == 0)
        #expect(try String(contentsOf: b.appendingPathComponent("r.md"), encoding: .utf8)
                == String(contentsOf: a.appendingPathComponent("r.md"), encoding: .utf8))
    }

    @Test("the report has a summary, tables, charts, assumptions and provenance; every SVG is well-formed XML")
    func content() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try compare(dir).status == 0)
        let md = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        for heading in ["## Summary", "## Results", "## Charts", "## Where the time goes", "## Assumptions", "### Provenance", "```mermaid"] {
            #expect(md.contains(heading), "\(heading)")
        }
        #expect(md.contains("images/s"))
        for line in md.split(separator: "\n") where line.hasPrefix("| ") && line.contains("SHA-256") == false && line.contains("`hardware/") {
            #expect(line.split(separator: "`").count >= 4)   // a path and a 64-digit digest
        }
        for chart in ["r-pareto.svg", "r-energy.svg"] {
            let parser = XMLParser(data: try Data(contentsOf: dir.appendingPathComponent(chart)))
            #expect(parser.parse(), "\(chart) is not well-formed XML")
        }
    }

    @Test("a failed comparison leaves the previous report untouched and writes nothing new")
    func failure() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try compare(dir).status == 0)
        let before = try Data(contentsOf: dir.appendingPathComponent("r.md"))
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        // Neither bf16 nor fp32 runs on this array: with nothing to report, the comparison fails before writing.
        let r = try LPSimProcess.run(["compare", "--hardware", "hardware/scale-sim-32x32.yaml", "--workload", "workloads/resnet18.yaml",
                                      "--precisions", "bf16,fp32", "--output", dir.appendingPathComponent("r.md").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no plan ran on any device") && r.stderr.contains("cannot execute"), "\(r.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("r.md")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == listing)
    }

    @Test("a plan one device cannot run is a marked row with the reason, in the report, the JSON and its re-rendering")
    func notRun() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // bf16 runs on the H100 but not on the INT8/FP8 systolic array.
        let r = try LPSimProcess.run(["compare", "--hardware", "hardware/nvidia-h100-sxm5.yaml",
                                      "--hardware", "hardware/scale-sim-32x32.yaml",
                                      "--workload", "workloads/resnet18.yaml", "--precisions", "int8,bf16",
                                      "--output", dir.appendingPathComponent("r.md").path,
                                      "--json", dir.appendingPathComponent("r.json").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: bf16 on") && r.stderr.contains("not run"), "\(r.stderr)")
        let md = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        let rows = md.split(separator: "\n").filter { $0.contains("| bf16 |") && $0.contains("**not run**") }
        #expect(rows.count == 1, "\(md)")
        #expect(rows.first?.contains("cannot execute") == true)
        #expect(md.contains("- **Not run:** bf16 on "))
        let json = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        #expect(json.contains("\"notRun\"") && json.contains("cannot execute"))
        let again = try LPSimProcess.run(["report", dir.appendingPathComponent("r.json").path,
                                          "--output", dir.appendingPathComponent("s.md").path])
        #expect(again.status == 0)
        let rerendered = try String(contentsOf: dir.appendingPathComponent("s.md"), encoding: .utf8)
        #expect(rerendered.replacingOccurrences(of: "s-pareto", with: "r-pareto")
                    .replacingOccurrences(of: "s-energy", with: "r-energy") == md)
        // Two devices: one area each, the same on every row of a device, and a smallest-device statement or a tie.
        #expect(md.contains("**Smallest device:**") || md.contains("**Area:**"))
    }

    @Test("a plan whose model does not fit is a not-run row; with --allow-overflow a row marked as not fitting")
    func notFitting() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Mixtral-8x7B's 46.7 B weights: 93 GB in bf16, more than an H100's 80 GB; 47 GB in fp8.
        func compare(_ extra: [String]) throws -> (LPSimProcess.Result, String) {
            let out = dir.appendingPathComponent("m.md")
            let r = try LPSimProcess.run(["compare", "--hardware", "hardware/nvidia-h100-sxm5.yaml",
                                          "--workload", "workloads/mixtral-8x7b-decode-b32-2048.yaml", "--precisions", "bf16,fp8",
                                          "--output", out.path] + extra)
            return (r, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
        }
        let (strict, md) = try compare([])
        #expect(strict.status == 0, "\(strict.stderr)")
        let bf16 = md.split(separator: "\n").filter { $0.hasPrefix("| NVIDIA H100 SXM5 | bf16 |") }
        #expect(bf16.count == 1 && bf16[0].contains("**not run**: does not fit: HBM3 (HBM) needs"), "\(bf16)")
        #expect(md.contains("- **Baseline:** bf16 did not run; ratios are against fp8 instead."))
        let (allowed, over) = try compare(["--allow-overflow"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let row = over.split(separator: "\n").filter { $0.hasPrefix("| NVIDIA H100 SXM5 | bf16 |") }
        #expect(row.count == 1 && row[0].contains("| baseline; does not fit: HBM3 (HBM) needs")
                    && row[0].contains("but holds 80.0 GB"), "\(row)")
        #expect(over.contains("- **Does not fit:** bf16 (HBM3 (HBM) needs"))
    }

    @Test("one device: one area for every plan, and no smallest line")
    func oneArea() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try compare(dir).status == 0)
        let md = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        #expect(!md.contains("Smallest"))
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false)
        let header = try #require(lines.first { $0.hasPrefix("| hardware | precision |") })
        let column = try #require(header.split(separator: "|").firstIndex { $0.contains("device area") })
        let rows = lines.filter { $0.hasPrefix("| SCALE-Sim 32x32 reference array |") }
        #expect(rows.count == 3)
        #expect(Set(rows.map { $0.split(separator: "|")[column] }).count == 1, "\(rows)")
    }

    /// The 32×32 reference array sums into an int32 accumulator: its fp8 products have no emulation, so
    /// that row's output QSNR is n/a, and the row says why (an int8 row, emulated, has a figure).
    @Test("an output QSNR that is n/a says why on its row, in the report and in the JSON")
    func outputQSNRMissing() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try compare(dir).status == 0)
        let md = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("| SCALE-Sim 32x32 reference array |") }
        let fp8 = try #require(rows.first { $0.contains("| fp8 |") })
        #expect(fp8.contains("output QSNR n/a: fp8_e4m3 products summed in the int32 accumulator are not emulated"))
        let int8 = try #require(rows.first { $0.contains("| int8 |") })
        #expect(!int8.contains("n/a"), "\(int8)")
        let json = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        #expect(json.contains("\"outputQSNRMissing\""))
    }

    @Test("a plan one device lacks is dequantised or a 'not supported' row, not the end of the report")
    func unsupportedRows() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("formats.md")
        let r = try LPSimProcess.run(["compare", "--hardware", "hardware/nvidia-h100-sxm5.yaml", "--hardware",
                                      "hardware/nvidia-a100-sxm4-80gb.yaml", "--workload", "workloads/llama-2-7b-decode-2048.yaml",
                                      "--precisions", "bf16,int4,mxfp4", "--output", report.path])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: report, encoding: .utf8)
        // H100 has no INT4 MACs and neither GPU has FP4: those rows run in bf16, and the report says so.
        #expect(text.contains("DEQUANTISED: int4 on NVIDIA H100 SXM5 runs dequantised to bf16"))
        #expect(text.contains("mxfp4 on NVIDIA A100 SXM4 80GB runs dequantised to bf16"))
        #expect(!text.contains("int4 on NVIDIA A100 SXM4 80GB runs dequantised"), "A100 runs INT4 natively")
        // bf16 on an INT8-only array is truly impossible: a row marked not supported, with the reason.
        let array = dir.appendingPathComponent("array.md")
        let s = try LPSimProcess.run(["compare", "--hardware", "hardware/scale-sim-32x32.yaml", "--workload",
                                      "workloads/resnet18.yaml", "--precisions", "int8,bf16", "--output", array.path])
        #expect(s.status == 0, "\(s.stderr)")
        let marked = try String(contentsOf: array, encoding: .utf8)
        #expect(marked.split(separator: "\n").contains { $0.contains("| bf16 |") && $0.contains("**not run**") })
        #expect(marked.contains("cannot execute"))
    }
}

@Suite("lpsim check-models")
struct CheckModelsCommandTests {
    @Test("the model-validation report lists every check with its error and result")
    func report() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-validation-\(UUID()).md").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try LPSimProcess.run(["check-models", "--output", file])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOfFile: file, encoding: .utf8)
        for section in ["Arithmetic at 45 nm", "INT against FP", "Derived peaks", "Large-GEMM efficiency", "L-Mul energy savings"] {
            #expect(md.contains(section), "\(section)")
        }
        #expect(md.contains("checks pass their tolerance"))
        #expect(md.components(separatedBy: "| pass |").count - 1 >= 40)
    }
}
