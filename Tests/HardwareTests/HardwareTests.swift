import Formats
import Documents
import Foundation
import Testing
@testable import Hardware
import Simulator

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
func hardwarePath(_ name: String) -> String { packageRoot.appendingPathComponent("hardware/\(name)").path }

@Suite("The device library")
struct DeviceLibraryTests {
    static let files = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("hardware").path))?
        .filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    @Test("every shipped file validates", arguments: files)
    func validates(file: String) throws {
        let model = try HardwareLoader.load(hardwarePath(file))
        #expect(!model.executableFormats.isEmpty)
    }

    /// Dense datasheet peaks (reference/published-numbers.md), in TOP/s or TFLOP/s.
    static let peaks: [(String, String, Double)] = [
        ("nvidia-a100-sxm4-80gb.yaml", "tf32", 156), ("nvidia-a100-sxm4-80gb.yaml", "bf16", 312),
        ("nvidia-a100-sxm4-80gb.yaml", "fp16", 312), ("nvidia-a100-sxm4-80gb.yaml", "int8", 624),
        ("nvidia-a100-sxm4-80gb.yaml", "int4", 1248), ("nvidia-a100-bipolar.yaml", "binary", 4992),
        ("nvidia-h100-sxm5.yaml", "tf32", 494.7), ("nvidia-h100-sxm5.yaml", "bf16", 989.4),
        ("nvidia-h100-sxm5.yaml", "fp8_e4m3", 1978.9), ("nvidia-h100-sxm5.yaml", "int8", 1978.9),
        // H200: the same GH100 tensor cores (H200 datasheet: 989 BF16, 1979 FP8).
        ("nvidia-h200-sxm.yaml", "bf16", 989.4), ("nvidia-h200-sxm.yaml", "fp8_e4m3", 1978.9),
        // B200 TF32: DGX B200 gives 18 PFLOP/s sparse for 8 GPUs = 1125 dense per GPU;
        // the reference file's 1100 is a secondary source's rounding (lpsim: 1124, +2.2% from it).
        ("nvidia-b200.yaml", "tf32", 1125), ("nvidia-b200.yaml", "bf16", 2250),
        ("nvidia-b200.yaml", "fp8_e4m3", 4500), ("nvidia-b200.yaml", "int8", 4500),
        ("nvidia-b200.yaml", "nvfp4", 9000),
        // "FP8/FP6 Tensor Core" 9 PFLOPS sparse per GPU.
        ("nvidia-b200.yaml", "fp6_e2m3", 4500), ("nvidia-b200.yaml", "fp6_e3m2", 4500),
        ("nvidia-b200.yaml", "mxfp6_e2m3", 4500), ("nvidia-b200.yaml", "mxfp6_e3m2", 4500),
        ("tpu-v1-like.yaml", "int8", 92),
    ]

    @Test("derived peaks are within 1% of the datasheets", arguments: peaks)
    func peak(file: String, format: String, tera: Double) throws {
        let model = try HardwareLoader.load(hardwarePath(file))
        let derived = try #require(model.peakOpsPerSecond(try FormatCatalog.format(named: format))) / 1e12
        #expect(abs(derived / tera - 1) <= 0.01, "\(file) \(format): \(derived) vs \(tera)")
    }

    @Test("a variant is a few lines: H200 inherits H100's compute and replaces its memory")
    func extends() throws {
        let h200 = try HardwareLoader.load(hardwarePath("nvidia-h200-sxm.yaml"))
        let h100 = try HardwareLoader.load(hardwarePath("nvidia-h100-sxm5.yaml"))
        #expect(h200.name == "NVIDIA H200 SXM")
        #expect(h200.peakOpsPerSecond("bf16") == h100.peakOpsPerSecond("bf16"))
        #expect(h200.offChip?.bandwidthBytesPerSecond == 4.8e12)
        let lmul = try HardwareLoader.load(hardwarePath("lmul-systolic-32x32.yaml"))
        let exact = try HardwareLoader.load(hardwarePath("exact-fp8-systolic-32x32.yaml"))
        #expect(lmul.datapath.multiplier == .lmul && exact.datapath.multiplier == .exact)
        #expect(exact.executableFormats == lmul.executableFormats)
    }

    @Test("bipolar-INT on binary tensor cores: p-bit × p-bit runs at binary rate / p²")
    func bipolarRates() throws {
        let a100 = try HardwareLoader.load(hardwarePath("nvidia-a100-bipolar.yaml"))
        let binary = try #require(a100.macsPerCycle("binary"))
        #expect(a100.macsPerCycle("bipolar2") == binary / 4)
        #expect(a100.macsPerCycle("bipolar3") == binary / 9)
        #expect(a100.macsPerCycle("int4") == binary / 4)   // the native INT4 rate equals W2A2's
    }

    @Test("the L-Mul array spends far less energy per MAC than the exact one")
    func lmulCost() throws {
        let lmul = DatapathCost(model: try HardwareLoader.load(hardwarePath("lmul-systolic-32x32.yaml")))
        let exact = DatapathCost(model: try HardwareLoader.load(hardwarePath("exact-fp8-systolic-32x32.yaml")))
        #expect(lmul.perMAC("fp8_e4m3").energyPicojoules < exact.perMAC("fp8_e4m3").energyPicojoules)
    }
}

@Suite("Broken hardware files")
struct BrokenFileTests {
    static let directory = packageRoot.appendingPathComponent("Tests/HardwareTests/Broken")
    /// file | line:column | message prefix, reviewed by hand.
    static let expectations: [(String, String, String)] = {
        let text = (try? String(contentsOf: directory.appendingPathComponent("expected.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: "|", maxSplits: 2).map(String.init)
            return (parts[0], parts[1], parts[2])
        }
    }()

    @Test("at least 25 broken files, each listed")
    func corpus() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 25)
        #expect(Set(files) == Set(Self.expectations.map(\.0)))
    }

    @Test("each gives an error at the right line and column", arguments: expectations)
    func diagnosed(file: String, location: String, message: String) {
        let path = Self.directory.appendingPathComponent(file).path
        do {
            _ = try HardwareLoader.load(path)
            Issue.record("\(file) loaded without error")
        } catch let d as Diagnostic {
            #expect("\(d.line ?? 0):\(d.column ?? 0)" == location, "\(d)")
            let text = d.description
            #expect(text.contains(": error: " + message) || text.contains(message), "\(d)")
        } catch {
            Issue.record("\(file): not a Diagnostic: \(error)")
        }
    }

    @Test("a directory or a missing file is an error, not a crash")
    func paths() {
        #expect(throws: Diagnostic.self) { try HardwareLoader.load(Self.directory.path) }
        #expect(throws: Diagnostic.self) { try HardwareLoader.load("/nonexistent/device.yaml") }
    }
}

@Suite("The JSON Schema")
struct HardwareSchemaTests {
    @Test("docs/schema/hardware.schema.json is what the registry's families generate (`lpsim schema`)")
    func generated() throws {
        let committed = try Data(contentsOf: packageRoot.appendingPathComponent("docs/schema/hardware.schema.json"))
        var generated = try HardwareSchema.jsonSchema(.standard)
        generated.append(UInt8(ascii: "\n"))
        #expect(committed == generated, "run `swift run lpsim schema --output docs/schema/hardware.schema.json`")
    }

    @Test("lists exactly the keys the decoder accepts, section by section")
    func inStep() throws {
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("docs/schema/hardware.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let definitions = try #require(schema["definitions"] as? [String: Any])
        func keys(_ object: Any?) -> Set<String> {
            Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        }
        for (section, decoderKeys) in HardwareSchema.sections(.standard) {
            let schemaKeys: Set<String>
            switch section {
            case "top": schemaKeys = keys(schema["else"])
            case "rate": schemaKeys = keys(((definitions["rate"] as? [String: Any])?["oneOf"] as? [Any])?.last)
            default: schemaKeys = keys(definitions[section])
            }
            #expect(schemaKeys == Set(decoderKeys), "\(section): schema \(schemaKeys.sorted()) vs decoder \(decoderKeys.sorted())")
        }
    }
}

@Suite("Quantities with units")
struct QuantityTests {
    @Test("strict parsing")
    func parse() throws {
        #expect(try parseQuantity("3.35 TB/s", as: .bandwidth).get() == 3.35e12)
        #expect(try parseQuantity("1.98GHz", as: .frequency).get() == 1.98e9)
        #expect(try parseQuantity("50 MiB", as: .bytes).get() == 50 * 1048576)
        #expect(abs(try parseQuantity("0.2 pJ", as: .energy).get() - 0.2e-12) < 1e-27)
        for bad in ["3.35", "3.35 TB", "fast GHz", "1e999 Hz", "nan Hz", "1.98 ghz", "", "GHz"] {
            #expect(throws: QuantityError.self, "\(bad)") { try parseQuantity(bad, as: .frequency).get() }
        }
    }
}
