import Foundation
import Testing

/// A report title with a line break (`--title $'a\n## b'`) ended the Markdown heading and injected a heading
/// of its own. A trace whose `name:` has one is refused where it is read (`NameRule`).
@Suite("A report's title stays one heading")
struct ReportTitleLineTests {
    @Test("a line break in --title does not start a Markdown block; one in the trace's name is an error")
    func oneHeading() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-title-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("t.yaml").path
        try "name: \"two\\n## lines\"\nops:\n  - {name: a, kind: gemm, m: 16, n: 64, k: 64}\n"
            .write(toFile: trace, atomically: true, encoding: .utf8)
        let hardware = LPSimProcess.packageRoot.appendingPathComponent("hardware/nvidia-h100-sxm5.yaml").path
        let refused = try LPSimProcess.run(["compare", "--hardware", hardware, "--workload", trace,
                                            "--precisions", "bf16,fp8", "--output", dir.path + "/x.md"])
        #expect(refused.status != 0 && refused.stderr.contains("t.yaml:1:7: error: name: a name must not contain"),
                "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/x.md"))
        try "name: two\nops:\n  - {name: a, kind: gemm, m: 16, n: 64, k: 64}\n"
            .write(toFile: trace, atomically: true, encoding: .utf8)
        for title in [["--title", "Line one\n## injected"], []] {
            let report = dir.appendingPathComponent("r.md").path
            let r = try LPSimProcess.run(["compare", "--hardware", hardware, "--workload", trace,
                                          "--precisions", "bf16,fp8", "--output", report] + title)
            #expect(r.status == 0, "\(r.stderr)")
            let lines = try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n")
            #expect(lines[0].hasPrefix(title.isEmpty ? "# two" : "# Line one ## injected"), "\(lines[0])")
            #expect(!lines.contains { $0.hasPrefix("## injected") || $0.hasPrefix("## lines") }, "\(lines.prefix(4))")
        }
    }
}
