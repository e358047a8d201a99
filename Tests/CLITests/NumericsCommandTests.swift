import Foundation
import Testing

@Suite("lpsim error: sources of error, accumulators, L-Mul variants, checkpoints")
struct NumericsCommandTests {
    static let fixtures = LPSimProcess.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/tensors").path

    func json(_ args: [String]) throws -> [String: Any] {
        let r = try LPSimProcess.run(args + ["--json"])
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    func qsnr(_ object: [String: Any], _ path: String...) -> Double? {
        var o: Any? = object
        for key in path { o = (o as? [String: Any])?[key] }
        return o as? Double
    }

    @Test("--tensors agrees with numpy/ml_dtypes (scripts/generate_tensor_fixtures.py) to 0.01 dB")
    func tensorsAgreeWithNumpy() throws {
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/expected.json"))) as? [String: [String: Any]])
        let formats = ["int8", "fp8_e4m3", "mxfp8_e4m3", "mxint8@ceil", "nvfp4"]
        for file in ["model.safetensors", "arrays.npz", "single.npy"] {
            let out = try json(["error", "--tensors", Self.fixtures + "/" + file, "--format", formats.joined(separator: ",")])
            let want = try #require(expected[file])
            let overall = try #require(want["overall"] as? [String: Double])
            let perTensor = try #require(want["tensors"] as? [String: [String: Double]])
            for f in formats {
                let got = try #require(qsnr(out, "overall_qsnr_db", f))
                #expect(abs(got - overall[f]!) <= 0.01, "\(file) \(f): \(got) vs \(overall[f]!)")
            }
            for t in try #require(out["tensors"] as? [[String: Any]]) {
                let name = try #require(t["name"] as? String)
                for f in formats {
                    let got = try #require((t["qsnr_db"] as? [String: Double])?[f])
                    #expect(abs(got - perTensor[name]![f]!) <= 0.01, "\(file) \(name) \(f)")
                }
            }
        }
    }

    @Test("bad checkpoints are positioned errors: byte offset and tensor name", arguments: [
        ("empty.safetensors", "at byte 0"), ("truncated.safetensors", "layers.0.norm.weight: at byte 41232"),
        ("missized.safetensors", "w: at byte 73"), ("int8.safetensors", "dtype I8 is not supported"),
        ("truncated.npy", "array: at byte 128"), ("compressed.npz", "deflate-compressed"),
    ])
    func badCheckpoints(file: String, message: String) throws {
        let r = try LPSimProcess.run(["error", "--tensors", Self.fixtures + "/" + file, "--format", "int8"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("error: ") && r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("error sources: exact products have no multiplication error; the accumulator's own error is separate")
    func sources() throws {
        let out = try json(["error", "--format", "fp8_e4m3", "--samples", "16384", "--dot-length", "1024",
                            "--accumulator", "tc14"])
        let mult = try #require(qsnr(out, "sources", "multiplication", "qsnr_db"))
        let acc = try #require(qsnr(out, "sources", "accumulation", "qsnr_db"))
        let input = try #require(qsnr(out, "sources", "input_quantization", "qsnr_db"))
        #expect(mult > 250 && acc < 80 && input < 40)
        let promoted = try json(["error", "--format", "fp8_e4m3", "--samples", "16384", "--dot-length", "1024",
                                 "--accumulator", "tc14", "--promote-every", "128"])
        #expect(try #require(qsnr(promoted, "sources", "accumulation", "qsnr_db")) > acc + 6)
    }

    @Test("--accumulator exact adds no error of its own (fp16 does), and is named")
    func exactAccumulator() throws {
        let args = ["error", "--format", "fp8_e4m3", "--samples", "16384", "--dot-length", "1024", "--accumulator"]
        let exact = try json(args + ["exact"]), fp16 = try json(args + ["fp16"])
        let sources = try #require(exact["sources"] as? [String: Any])
        #expect((sources["accumulation"] as? [String: Any])?["max_relative_error"] as? Double == 0)
        #expect(exact["accumulator_model"] as? String == "exact (fixed point)")
        #expect(try #require(qsnr(fp16, "sources", "accumulation", "qsnr_db")) < 80)
        let output = try #require(qsnr(exact, "dot_product", "qsnr_db"))
        #expect(abs(output - (try #require(qsnr(exact, "sources", "input_quantization", "qsnr_db")))) < 1e-9)
        let promoted = try LPSimProcess.run(args + ["exact", "--promote-every", "128"])
        #expect(promoted.status != 0 && promoted.stderr.contains("--promote-every"), "\(promoted.stderr)")
    }

    @Test("--accumulator int16 works, overflows at K = 1024 of int8 codes, and warns with AM004's width")
    func integerAccumulator() throws {
        let r = try LPSimProcess.run(["error", "--format", "int8", "--samples", "16384", "--dot-length", "1024",
                                      "--accumulator", "int16", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("int16 accumulator can overflow on K = 1024") && r.stderr.contains("needs 26 bits"))
        let out = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(try #require(out["overflow_probability"] as? Double) > 0.1)   // 4 of 16 sums pass ±32767
        let wide = try json(["error", "--format", "int8", "--samples", "16384", "--dot-length", "1024",
                             "--accumulator", "int32"])
        #expect(try #require(wide["overflow_probability"] as? Double) == 0)
        // With exact int8 products and an exact int32 sum, the accumulation adds nothing.
        #expect(try #require(qsnr(wide, "sources", "accumulation", "qsnr_db")) > 250)
        let saturating = try json(["error", "--format", "int8", "--samples", "16384", "--dot-length", "1024",
                                   "--accumulator", "int16", "--accumulator-overflow", "saturate"])
        let wrapping = try #require(qsnr(try json(["error", "--format", "int8", "--samples", "16384", "--dot-length",
                                                   "1024", "--accumulator", "int16"]), "dot_product", "qsnr_db"))
        #expect(try #require(qsnr(saturating, "dot_product", "qsnr_db")) > wrapping)
    }

    @Test("L-Mul: the integer-add and the equation-as-read variants differ, and both are named")
    func lmulVariants() throws {
        let args = ["error", "--format", "fp8_e4m3", "--samples", "16384", "--dot-length", "256"]
        let add = try json(args + ["--multiplier", "lmul"]), eq = try json(args + ["--multiplier", "lmul-eq"])
        #expect((add["multiplier_model"] as? String)?.contains("integer add") == true)
        #expect((eq["multiplier_model"] as? String)?.contains("Eq. (3)") == true)
        let a = try #require(qsnr(add, "sources", "multiplication", "qsnr_db"))
        let e = try #require(qsnr(eq, "sources", "multiplication", "qsnr_db"))
        #expect(a != e && a < 60 && e < 60)
    }

    @Test("the crest-factor control reaches low targets in small groups and reports what it reached")
    func crestFactor() throws {
        for seed in 0..<5 {
            let out = try json(["error", "--format", "mxint8", "--crest-factor", "1.96", "--crest-group", "32",
                                "--samples", "4096", "--seed", "\(seed)"])
            let reached = try #require(out["crest_factor_reached"] as? [String: Double])
            #expect(abs(reached["min"]! - 1.96) < 1e-6 && abs(reached["max"]! - 1.96) < 1e-6)
        }
    }

    @Test("the scale rule is selectable and named")
    func scaleRule() throws {
        let floor = try json(["error", "--format", "mxint8", "--samples", "4096"])
        let ceil = try json(["error", "--format", "mxint8", "--scale-rule", "ceil", "--samples", "4096"])
        #expect((floor["scale_rule"] as? String)?.contains("OCP") == true)
        #expect((ceil["scale_rule"] as? String)?.contains("2510.25602") == true)
        #expect(ceil["format"] as? String == "mxint8@ceil")
    }
}

@Suite("simulate and compare carry the device's own numerics")
struct DeviceNumericsCommandTests {
    static let fixtures = LPSimProcess.packageRoot.appendingPathComponent("Tests/CLITests/Fixtures/numerics").path
    static let root = LPSimProcess.packageRoot.path

    @Test("a too-narrow integer accumulator is flagged on the op that overflows, with its K")
    func narrowAccumulator() throws {
        let r = try LPSimProcess.run(["simulate", "--hardware", Self.fixtures + "/int16-array.yaml",
                                      "--workload", Self.fixtures + "/two-gemms.yaml", "--precision", "int8", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("op 'long_k': K = 4096") && !r.stderr.contains("short_k"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let ops = try #require(object["ops"] as? [[String: Any]])
        let long = try #require(ops.first { $0["name"] as? String == "long_k" })
        let short = try #require(ops.first { $0["name"] as? String == "short_k" })
        #expect(try #require(long["overflow_probability"] as? Double) > 0.5)
        #expect(try #require(short["overflow_probability"] as? Double) == 0)
        #expect(try #require(short["output_qsnr_db"] as? Double) > 30)
        #expect(try #require(long["output_qsnr_db"] as? Double) < 10)
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["weight_qsnr_db"] is Double && totals["output_qsnr_db"] is Double)
    }

    /// A SCALE-Sim `.cfg`'s stated default datapath sums every format in a 32-bit integer accumulator; bf16
    /// products there have no AM004 width (that bound is for integer products) and no emulation, and the
    /// warning says so instead of a width computed as if bf16 were a 16-bit integer.
    @Test("bf16 summed in an integer accumulator: one warning, no integer width; without --json the checks still run")
    func floatsInIntegerAccumulator() throws {
        let cfg = Self.root + "/Tests/HardwareTests/Fixtures/scale.cfg"
        let bf16 = try LPSimProcess.run(["simulate", "--hardware", cfg, "--workload", Self.fixtures + "/two-gemms.yaml",
                                         "--precision", "bf16", "--json"])
        #expect(bf16.status == 0, "\(bf16.stderr)")
        #expect(bf16.stderr.contains("op 'long_k' (and 1 more): bf16 × bf16 products are summed in the int32"))
        #expect(!bf16.stderr.contains("AM004"), "\(bf16.stderr)")
        let int8 = try LPSimProcess.run(["simulate", "--hardware", cfg, "--workload", Self.fixtures + "/two-gemms.yaml",
                                         "--precision", "int8", "--json"])
        #expect(int8.status == 0 && !int8.stderr.contains("products are summed"), "\(int8.stderr)")
        // Without --json the checks still run (no emulation: the warning says where its share comes from).
        let text = try LPSimProcess.run(["simulate", "--hardware", Self.fixtures + "/int16-array.yaml",
                                         "--workload", Self.fixtures + "/two-gemms.yaml", "--precision", "int8"])
        #expect(text.status == 0 && text.stderr.contains("op 'long_k': K = 4096")
                    && text.stderr.contains("--json or --csv emulates how often it overflows"), "\(text.stderr)")
    }

    @Test("L-Mul and exact arrays differ in output QSNR; fp32 on L-Mul is far below its weight QSNR")
    func lmulAgainstExact() throws {
        func output(_ hardware: String, _ plan: String) throws -> (Double, Double) {
            let r = try LPSimProcess.run(["simulate", "--hardware", Self.root + "/hardware/" + hardware,
                                          "--workload", Self.root + "/workloads/bert-base-seq128.yaml", "--precision", plan, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            let totals = try #require((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["totals"]
                as? [String: Any])
            return (try #require(totals["weight_qsnr_db"] as? Double), try #require(totals["output_qsnr_db"] as? Double))
        }
        let lmul = try output("lmul-systolic-32x32.yaml", "fp8"), exact = try output("exact-fp8-systolic-32x32.yaml", "fp8")
        #expect(abs(lmul.0 - exact.0) < 1e-9 && exact.1 > lmul.1 + 2)
        let fp32 = try output("lmul-systolic-32x32.yaml", "fp32")
        #expect(fp32.0 > 140 && fp32.1 < 40)
    }
}

@Suite("compare --weights")
struct CompareWeightsTests {
    @Test("adds a 'QSNR on the model's own weights' column equal to error --tensors overall")
    func column() throws {
        let root = LPSimProcess.packageRoot.path
        let weights = root + "/Tests/CLITests/Fixtures/tensors/model.safetensors"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-weights-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try LPSimProcess.run(["compare", "--hardware", root + "/hardware/nvidia-h100-sxm5.yaml",
                                      "--workload", root + "/workloads/llama-2-7b-decode-2048.yaml", "--precisions", "int8",
                                      "--weights", weights, "--output", dir.appendingPathComponent("r.md").path])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        #expect(md.contains("QSNR on the model's own weights (dB)"))
        let e = try LPSimProcess.run(["error", "--tensors", weights, "--format", "int8", "--json"])
        let overall = try #require(((try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])?[
            "overall_qsnr_db"] as? [String: Double])?["int8"])
        #expect(md.contains(String(format: "%.1f", overall)))
    }
}
