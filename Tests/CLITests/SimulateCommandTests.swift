import Foundation
import Testing

@Suite("lpsim simulate")
struct SimulateCommandTests {
    @Test("--json has the contract's totals and per-op fields")
    func json() throws {
        let r = try LPSimProcess.run(["simulate", "--hardware", "hardware/scale-sim-32x32.yaml", "--workload", "workloads/resnet50.yaml",
                                      "--precision", "int8", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Any])
        for key in ["cycles", "seconds", "macs", "energy_j", "area_mm2"] { #expect(totals[key] is Double, "\(key)") }
        let ops = try #require(object["ops"] as? [[String: Any]])
        #expect(ops.count == 174)
        for key in ["name", "kind", "macs", "cycles", "compute_cycles", "stall_cycles", "seconds", "energy_j", "bound"] {
            #expect(ops[0][key] != nil, "\(key)")
        }
        #expect(Set(ops.map { $0["bound"] as! String }).isSubset(of: ["compute", "memory", "latency"]))
        #expect(abs((totals["macs"] as! Double) / 4.089e9 - 1) < 0.01)
    }

    @Test("a SCALE-Sim .cfg and topology CSV: per-op and total access counts in JSON and CSV")
    func scaleSim() throws {
        let args = ["simulate", "--hardware", "Tests/HardwareTests/Fixtures/scale.cfg", "--workload",
                    "Tests/WorkloadTests/Fixtures/scalesim-topologies/conv_nets/alexnet.csv", "--precision", "int8"]
        let r = try LPSimProcess.run(args + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Any])
        let ops = try #require(object["ops"] as? [[String: Any]])
        for key in ["sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes", "dram_ifmap_reads", "dram_filter_reads",
                    "dram_ofmap_writes", "cycles_incl_prefetch", "avg_dram_ifmap_bw"] {
            #expect((totals[key] as? Double ?? 0) > 0, "\(key)")
            #expect(ops[0][key] is Double, "\(key)")
        }
        #expect(ops[0]["mapping"] as? String == "ws")
        let csv = try LPSimProcess.run(args + ["--csv"])
        #expect(csv.stdout.split(separator: "\n").first?.contains("dram_ofmap_writes,cycles_incl_prefetch,avg_dram_ifmap_bw,avg_dram_filter_bw,avg_dram_ofmap_bw") == true)
    }

    /// SCALE-Sim's words are one byte, so a `.cfg` without `--precision` runs int8 (the plan that reproduces
    /// SCALE-Sim's counts); a YAML device keeps bf16. Checked on outputs, not on the default's name alone:
    /// under bf16 the same run's DRAM bytes double.
    @Test("a SCALE-Sim .cfg without --precision runs int8, as SCALE-Sim's one-byte words; a YAML device keeps bf16")
    func scaleSimDefaultPlan() throws {
        let base = ["simulate", "--hardware", "Tests/HardwareTests/Fixtures/scale.cfg", "--workload",
                    "Tests/WorkloadTests/Fixtures/scalesim-topologies/conv_nets/alexnet.csv", "--json"]
        let plain = try LPSimProcess.run(base)
        let int8 = try LPSimProcess.run(base + ["--precision", "int8"])
        let bf16 = try LPSimProcess.run(base + ["--precision", "bf16"])
        #expect(plain.status == 0 && int8.status == 0 && bf16.status == 0, "\(plain.stderr)")
        #expect(plain.stdout == int8.stdout)
        #expect(plain.stdout != bf16.stdout)
        let yaml = try LPSimProcess.run(["simulate", "--hardware", "hardware/nvidia-h100-sxm5.yaml", "--workload",
                                         "Tests/WorkloadTests/Fixtures/scalesim-topologies/conv_nets/alexnet.csv",
                                         "--json"])
        #expect(yaml.status == 0, "\(yaml.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(yaml.stdout.utf8)) as? [String: Any])
        #expect(object["precision"] as? String == "bf16")
    }

    @Test("a CALC convolution too large to count exactly keeps the per-fold estimate, and a note names it")
    func estimatedIfmapReads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-est-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cfg = try String(contentsOfFile: LPSimProcess.packageRoot.path + "/Tests/HardwareTests/Fixtures/scale.cfg",
                             encoding: .utf8).replacingOccurrences(of: "Dataflow : ws", with: "Dataflow : os")
        try cfg.write(to: dir.appendingPathComponent("os.cfg"), atomically: true, encoding: .utf8)
        let header = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
            + "Strides,\n"
        // An 8192² input of 64 channels: about 8·10⁹ steps expected, past the allowance before it starts.
        try (header + "Huge,8192,8192,3,3,64,64,1,\nSmall,56,56,3,3,64,64,1,\n")
            .write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try LPSimProcess.run(["simulate", "--hardware", dir.appendingPathComponent("os.cfg").path,
                                      "--workload", dir.appendingPathComponent("t.csv").path, "--precision", "int8",
                                      "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let notes = object["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("1 convolution ('Huge')") && $0.contains("per-fold estimate") },
                "\(notes)")
    }

    @Test("--json is laid out as lpsim's JSON values render: two-space indent, contract key order, one entry a line")
    func jsonLayout() throws {
        let r = try LPSimProcess.run(["simulate", "--hardware", "hardware/nvidia-h100-sxm5.yaml", "--workload",
                                      "workloads/llama-2-7b-decode-2048.yaml", "--precision", "w4a16", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        // A reference renderer, independent of the one under test.
        let order = ["hardware", "workload", "precision", "clock_hz", "totals", "cycles", "seconds", "macs", "energy_j",
                     "area_mm2", "off_chip_bytes", "energy_breakdown_j", "compute", "on_chip_memory", "off_chip_memory",
                     "static", "weight_qsnr_db", "output_qsnr_db", "overflow_probability", "ops", "notes"]
        let opOrder = ["name", "kind", "repeat", "format", "macs", "cycles", "compute_cycles", "stall_cycles", "seconds",
                       "energy_j", "bound", "utilization", "off_chip_bytes", "mapping", "dequantized",
                       "weight_qsnr_db", "output_qsnr_db", "overflow_probability"]
        func render(_ value: Any, _ indent: Int) -> String {
            let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
            switch value {
            case is NSNull: return "null"
            case let s as String: return "\"" + s + "\""
            case let d as [String: Any]:
                let o = d["name"] != nil ? opOrder : order
                let keys = d.keys.sorted { o.firstIndex(of: $0)! < o.firstIndex(of: $1)! }
                func field(_ key: String) -> String {
                    key == "dequantized" ? ((d[key] as? Bool) == true ? "true" : "false") : render(d[key]!, indent + 1)
                }
                return "{\n" + keys.map { pad + "\"\($0)\": " + field($0) }.joined(separator: ",\n") + "\n" + end + "}"
            case let a as [Any]:
                return a.isEmpty ? "[]" : "[\n" + a.map { pad + render($0, indent + 1) }.joined(separator: ",\n") + "\n" + end + "]"
            case let n as NSNumber:
                let x = n.doubleValue
                return x == x.rounded() && x.magnitude < 0x1p63 ? String(Int64(x)) : x.description
            default: return "?"
            }
        }
        // Foundation's parser may be an ulp off on some decimals, so numbers are
        // compared as numbers (to 1e-15) and the text around them exactly.
        func split(_ text: String) -> (layout: String, numbers: [Double]) {
            var layout = "", numbers: [Double] = [], token = "", inString = false
            for c in text {
                if c == "\"" { inString.toggle() }
                if !inString && (c.isNumber || "+-.eE".contains(c)) {
                    token.append(c)
                } else {
                    if !token.isEmpty { numbers.append(Double(token) ?? .nan); layout += "#"; token = "" }
                    layout.append(c)
                }
            }
            return (layout, numbers)
        }
        let (expected, actual) = (split(render(object, 0) + "\n"), split(r.stdout))
        #expect(expected.layout == actual.layout)
        #expect(expected.numbers.count == actual.numbers.count && actual.numbers.count > 100)
        // (The "e" of true and false reads as a non-number on both sides.)
        for (x, y) in zip(expected.numbers, actual.numbers) {
            #expect(x == y || (x.isNaN && y.isNaN) || abs(x - y) <= 1e-15 * abs(y), "\(x) vs \(y)")
        }
    }

    @Test("the table lists the 15 slowest ops, slowest first, ties in trace order")
    func slowestOps() throws {
        let args = ["simulate", "--hardware", "hardware/scale-sim-32x32.yaml", "--workload", "workloads/resnet50.yaml", "--precision", "int8"]
        let table = try LPSimProcess.run(args), json = try LPSimProcess.run(args + ["--json"])
        #expect(table.status == 0 && json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let ops = try #require(object["ops"] as? [[String: Any]])
        // Swift's sort is stable, so this is the reference order.
        let expected = ops.enumerated().sorted { a, b in
            let (x, y) = (a.element["seconds"] as! Double, b.element["seconds"] as! Double)
            return x > y || (x == y && a.offset < b.offset)
        }.prefix(15).map { $0.element["name"] as! String }
        let rows = table.stdout.split(separator: "\n").dropFirst(3).prefix(15).map { String($0.split(separator: " ")[0]) }
        #expect(rows == expected)
        #expect(table.stdout.contains("… \(ops.count - 15) more ops"))
    }

    @Test("the same inputs give byte-identical output; CSV and files written whole")
    func deterministic() throws {
        let args = ["simulate", "--hardware", "hardware/nvidia-h100-sxm5.yaml", "--workload", "workloads/llama-2-7b-decode-2048.yaml",
                    "--precision", "w4a16", "--csv"]
        let a = try LPSimProcess.run(args), b = try LPSimProcess.run(args)
        #expect(a.status == 0 && a.stdout == b.stdout)
        #expect(a.stdout.hasPrefix("name,kind,repeat,format,macs,cycles,compute_cycles,stall_cycles,seconds,energy_j,bound"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-sim-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let written = try LPSimProcess.run(["simulate", "--hardware", "hardware/scale-sim-32x32.yaml", "--workload", "workloads/resnet18.yaml",
                                            "--precision", "int8", "--json", "--output", file])
        #expect(written.status == 0 && written.stdout.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)).count > 1000)
    }

    @Test("a format the hardware cannot execute is a clear error and writes nothing")
    func unsupported() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-sim-\(UUID()).json").path
        let r = try LPSimProcess.run(["simulate", "--hardware", "hardware/scale-sim-32x32.yaml", "--workload", "workloads/resnet18.yaml",
                                      "--precision", "bf16", "--json", "--output", file])
        #expect(r.status != 0)
        #expect(r.stderr.contains("cannot execute"))
        #expect(!FileManager.default.fileExists(atPath: file))
    }
}

/// Counts past 10^15 stay integers in the JSON (a 70 B model's prefill does 10^17 MACs).
@Suite struct LargeCountJSONTests {
    @Test func aQuadrillionMACsPrintAsAnInteger() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("t.yaml")
        try "name: big\nops:\n  - {name: g, kind: gemm, m: 8192, n: 8192, k: 8192, repeat: 4096}\n"
            .write(to: trace, atomically: true, encoding: .utf8)
        let r = try LPSimProcess.run(["simulate", "--hardware", "hardware/nvidia-h100-sxm5.yaml",
                                      "--workload", trace.path, "--precision", "bf16", "--json", "--allow-overflow"])
        #expect(r.status == 0, "\(r.stderr)")
        // 2^51 MACs: exactly representable, printed as its digits rather than 2.251799813685248e+15.
        #expect(r.stdout.contains("\"macs\": 2251799813685248"), "\(r.stdout.prefix(400))")
        #expect(!r.stdout.contains("e+15"))
    }
}
