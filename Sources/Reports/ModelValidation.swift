import Arithmetic
import Foundation
import Hardware
import Simulator
import Workload

/// lpsim's figures beside published ones, each with its error and a
/// pass/fail against a stated tolerance: the report a reader checks before
/// trusting any comparison. Sources are those of
/// `shared/reference/published-numbers.md`, cited per row.
public enum ModelValidation {
    public struct Row {
        var quantity: String
        var published: Double
        var lpsim: Double
        var unit: String
        /// Relative tolerance (fraction) or, when `absolute`, in the quantity's unit.
        var tolerance: Double
        var absolute: Bool
        var source: String
        var note: String = ""
        /// A bound, not a value: passes when lpsim ≤ published.
        var atMost = false

        var error: Double { absolute ? lpsim - published : lpsim / published - 1 }
        var passes: Bool { atMost ? lpsim <= published : abs(error) <= tolerance + 1e-12 }
    }

    /// Builds the rows; `hardwareDirectory` holds the shipped device files.
    public static func rows(hardwareDirectory: String) throws -> [(String, [Row])] {
        var sections: [(String, [Row])] = []
        let model = CellCostModel(), node = Technology.reference
        let horowitz = "Horowitz, ISSCC 2014, Fig. 1.1.9", hp = "Hennessy & Patterson 6th ed., Fig. 1.13"
        var arithmetic: [Row] = []
        for (unit, name, energy, area) in [
            (ArithmeticUnit.integerAdder(bits: 8), "INT8 add", 0.03, 36.0), (.integerAdder(bits: 32), "INT32 add", 0.1, 137),
            (.integerMultiplier(bits: 8, by: 8), "INT8 multiply", 0.2, 282), (.integerMultiplier(bits: 32, by: 32), "INT32 multiply", 3.1, 3495),
            (.floatAdder(exponentBits: 5, mantissaBits: 10), "FP16 add", 0.4, 1360), (.floatAdder(exponentBits: 8, mantissaBits: 23), "FP32 add", 0.9, 4184),
            (.floatMultiplier(exponentBits: 5, mantissaBits: 10), "FP16 multiply", 1.1, 1640),
            (.floatMultiplier(exponentBits: 8, mantissaBits: 23), "FP32 multiply", 3.7, 7700),
        ] {
            let c = model.cost(of: unit, at: node)
            arithmetic.append(Row(quantity: "\(name) energy", published: energy, lpsim: c.energyPicojoules, unit: "pJ",
                                  tolerance: 0.25, absolute: false, source: horowitz))
            arithmetic.append(Row(quantity: "\(name) area", published: area, lpsim: c.areaSquareMicrometres, unit: "µm²",
                                  tolerance: 0.25, absolute: false, source: hp))
        }
        sections.append(("Arithmetic at 45 nm (4 fitted constants per metric for 8 points)", arithmetic))

        // Table 5 on the describe path: per-MAC costs of the MX array's
        // dot-product units (equal throughput is equal cost per MAC).
        let mxArray = DatapathCost(model: try HardwareLoader.load(hardwareDirectory + "/mx-array-7nm.yaml"))
        let c = { (f: String) in mxArray.perMAC(f) }
        let table5 = "Chen et al., arXiv 2510.25602, Table 5 — calibrated: 3 fitted lane weights per metric "
            + "(scripts/fit_dot_product_unit.py), via describe hardware/mx-array-7nm.yaml"
        var intfp: [Row] = []
        let base = c("mxfp8_e4m3")
        for (name, f, e, a) in [("MXINT8", "mxint8", 0.63, 0.79), ("NVFP4", "nvfp4", 0.55, 0.54), ("NVINT4", "nvint4", 0.34, 0.38)] {
            intfp.append(Row(quantity: "\(name) energy / MXFP8", published: e, lpsim: c(f).energyPicojoules / base.energyPicojoules,
                             unit: "", tolerance: 0.08, absolute: true, source: table5))
            intfp.append(Row(quantity: "\(name) area / MXFP8", published: a,
                             lpsim: c(f).areaSquareMicrometres / base.areaSquareMicrometres,
                             unit: "", tolerance: 0.08, absolute: true, source: table5))
        }
        // MXFP8 and NVFP4 at 1:2 throughput against MXINT8 and NVINT4.
        let mixE = (c("mxint8").energyPicojoules + 2 * c("nvint4").energyPicojoules)
            / (base.energyPicojoules + 2 * c("nvfp4").energyPicojoules)
        let mixA = (c("mxint8").areaSquareMicrometres + 2 * c("nvint4").areaSquareMicrometres)
            / (base.areaSquareMicrometres + 2 * c("nvfp4").areaSquareMicrometres)
        intfp.append(Row(quantity: "MXINT8+NVINT4 energy / MXFP8+NVFP4", published: 0.75, lpsim: mixE,
                         unit: "", tolerance: 0.08, absolute: true, source: table5))
        intfp.append(Row(quantity: "MXINT8+NVINT4 area / MXFP8+NVFP4", published: 0.66, lpsim: mixA,
                         unit: "", tolerance: 0.08, absolute: true, source: table5))
        sections.append(("INT against FP MAC units (k-lane dot-product units, describe path)", intfp))

        func device(_ file: String) throws -> HardwareModel { try HardwareLoader.load(hardwareDirectory + "/" + file) }
        var peaks: [Row] = []
        let sheets = "NVIDIA datasheets (dense), via reference/published-numbers.md"
        for (file, name, format, published, note) in [
            ("nvidia-a100-sxm4-80gb.yaml", "A100", "tf32", 156.0, ""), ("nvidia-a100-sxm4-80gb.yaml", "A100", "bf16", 312, ""),
            ("nvidia-a100-sxm4-80gb.yaml", "A100", "int8", 624, ""), ("nvidia-a100-sxm4-80gb.yaml", "A100", "int4", 1248, ""),
            ("nvidia-a100-bipolar.yaml", "A100", "binary", 4992, ""),
            ("nvidia-h100-sxm5.yaml", "H100", "tf32", 494.7, ""), ("nvidia-h100-sxm5.yaml", "H100", "bf16", 989.4, ""),
            ("nvidia-h100-sxm5.yaml", "H100", "fp8_e4m3", 1978.9, ""), ("nvidia-h100-sxm5.yaml", "H100", "int8", 1978.9, ""),
            ("nvidia-b200.yaml", "B200", "tf32", 1100, "DGX B200's 18 PFLOP/s sparse for 8 GPUs is 1125 dense per GPU; 1100 is a rounding"),
            ("nvidia-b200.yaml", "B200", "bf16", 2250, ""), ("nvidia-b200.yaml", "B200", "fp8_e4m3", 4500, ""),
            ("nvidia-b200.yaml", "B200", "nvfp4", 9000, ""), ("tpu-v1-like.yaml", "TPU-v1-like", "int8", 92, "Jouppi et al., ISCA 2017"),
        ] {
            let derived = (try device(file).peakOpsPerSecond(format) ?? 0) / 1e12
            peaks.append(Row(quantity: "\(name) \(format) dense peak", published: published, lpsim: derived, unit: "TOP/s",
                             tolerance: 0.01, absolute: false, source: name == "TPU-v1-like" ? note : sheets, note: name == "TPU-v1-like" ? "" : note))
        }
        sections.append(("Derived peaks (SMs × tensor cores × MACs per clock × clock)", peaks))

        var gemm: [Row] = []
        let measured = "stas00/ml-engineering, torch.matmul, best shape"
        for (file, name, plan, format, published) in [("nvidia-h100-sxm5.yaml", "H100", "bf16", "bf16", 0.803),
                                                       ("nvidia-h100-sxm5.yaml", "H100", "fp8", "fp8_e4m3", 0.709),
                                                       ("nvidia-a100-sxm4-80gb.yaml", "A100", "bf16", "bf16", 0.869)] {
            let gpu = try device(file)
            let trace = Trace(name: "8192³", ops: [Op(name: "gemm", kind: .gemm, dims: ["m": 8192, "n": 8192, "k": 8192])])
            let r = try Simulator(hardware: gpu, plan: try PrecisionPlan.load(plan)).run(trace)
            gemm.append(Row(quantity: "\(name) \(format) 8192³ GEMM, fraction of peak", published: published,
                            lpsim: r.macs * 2 / r.seconds / gpu.peakOpsPerSecond(format)!, unit: "", tolerance: 0.05, absolute: true,
                            source: measured, note: "calibrated: the device file's sustained_fraction comes from this measurement"))
        }
        sections.append(("Large-GEMM efficiency", gemm))

        let fp32mul = model.cost(of: .floatMultiplier(exponentBits: 8, mantissaBits: 23), at: node).energyPicojoules
        let lmul = model.cost(of: .lmul(exponentBits: 8, mantissaBits: 23), at: node).energyPicojoules
        let acc = model.cost(of: .floatAccumulator(exponentBits: 8, mantissaBits: 23), at: node).energyPicojoules
        let luoSun = "Luo & Sun, arXiv 2410.00907"
        sections.append(("L-Mul energy savings (FP32)", [
            Row(quantity: "element-wise multiplication saving", published: 0.95, lpsim: 1 - lmul / fp32mul, unit: "", tolerance: 0.05,
                absolute: true, source: luoSun),
            Row(quantity: "dot-product saving (FP32 accumulator)", published: 0.80, lpsim: 1 - (lmul + acc) / (fp32mul + acc), unit: "",
                tolerance: 0.05, absolute: true, source: luoSun),
        ]))
        sections += numericsSections()
        return sections
    }

    public static func markdown(hardwareDirectory: String, command: String, version: String) throws -> String {
        let sections = try rows(hardwareDirectory: hardwareDirectory)
        let all = sections.flatMap(\.1)
        var md = "# lpsim model validation\n\n"
        md += "lpsim \(version) against published figures. \(all.filter(\.passes).count) of \(all.count) checks pass their tolerance. "
        md += "Rows marked *calibrated* reproduce the data the model was fitted to, so they show the fit, not an independent prediction.\n\n"
        for (title, rows) in sections {
            md += "## \(title)\n\n"
            md += MarkdownReport.table(["quantity", "published", "lpsim", "error", "tolerance", "result", "source"], rows.map { r in
                let unit = r.unit.isEmpty ? "" : " " + r.unit
                let error = r.absolute ? String(format: "%+.3f", r.error) : String(format: "%+.1f%%", r.error * 100)
                let tolerance = r.atMost ? "≤ published" : r.absolute ? "±" + trimmed(r.tolerance) : "±" + trimmed(r.tolerance * 100) + "%"
                let result = r.passes ? "pass" : "**fail**"
                return [r.quantity, trimmed(r.published) + unit, trimmed(r.lpsim) + unit, error, tolerance, result,
                        r.source + (r.note.isEmpty ? "" : " — " + r.note)]
            })
            md += "\n"
        }
        md += "## Provenance\n\nCommand:\n\n```sh\n\(command)\n```\n"
        return md
    }
}
