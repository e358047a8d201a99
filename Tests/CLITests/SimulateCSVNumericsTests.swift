import Foundation
import Testing

/// `simulate --csv` carries every per-op field `--json` does, the numerics
/// (`weight_qsnr_db`, `output_qsnr_db`, `overflow_probability`) included, with
/// the same values; an op without numerics (JSON null) has empty cells.
@Suite("simulate --csv carries the per-op numerics --json carries")
struct SimulateCSVNumericsTests {
    @Test("the CSV's columns are the JSON op keys, in order, and the QSNR cells equal the JSON values",
          arguments: [("hardware/nvidia-h100-sxm5.yaml", "fp8"), ("hardware/scale-sim-32x32.yaml", "int8")])
    func csvMatchesJSON(hardware: String, precision: String) throws {
        let args = ["simulate", "--hardware", hardware, "--workload", "workloads/resnet18-scalesim-layers.yaml",
                    "--precision", precision]
        let json = try LPSimProcess.run(args + ["--json"]), csv = try LPSimProcess.run(args + ["--csv"])
        #expect(json.status == 0 && csv.status == 0, "\(json.stderr)\(csv.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let ops = try #require(object["ops"] as? [[String: Any]])
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(header.suffix(3) == ["weight_qsnr_db", "output_qsnr_db", "overflow_probability"], "\(header)")
        #expect(Set(header) == Set(ops[0].keys), "\(header) vs \(ops[0].keys.sorted())")
        #expect(lines.count == ops.count + 1)
        var checked = 0
        for (line, op) in zip(lines.dropFirst(), ops) {
            // Names in this trace hold no commas, so a plain split is exact.
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for key in ["weight_qsnr_db", "output_qsnr_db"] {
                let cell = cells[try #require(header.firstIndex(of: key))]
                if let value = op[key] as? Double {
                    // Same rendering; Foundation's JSON parser may be off in the last place.
                    let parsed = try #require(Double(cell), "\(key): '\(cell)'")
                    #expect(abs(parsed - value) <= 1e-13 * abs(value),
                            "\(op["name"] ?? "") \(key): \(cell) vs \(value)")
                    checked += 1
                } else {
                    #expect(cell.isEmpty, "\(op["name"] ?? "") \(key): '\(cell)' where JSON has null")
                }
            }
        }
        #expect(checked > 0)
    }
}
