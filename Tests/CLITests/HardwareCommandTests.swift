import Foundation
import Testing

@Suite("lpsim validate and lpsim describe")
struct HardwareCommandTests {
    static let shipped = ((try? FileManager.default.contentsOfDirectory(
        atPath: LPSimProcess.packageRoot.appendingPathComponent("hardware").path)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.sorted().map { "hardware/\($0)" }

    @Test("validate passes on every shipped file and on the README examples")
    func validateShipped() throws {
        let examples = ((try? FileManager.default.contentsOfDirectory(
            atPath: LPSimProcess.packageRoot.appendingPathComponent("docs/examples/hardware").path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { "docs/examples/hardware/\($0)" }
        #expect(examples.count == 4)
        let r = try LPSimProcess.run(["validate"] + Self.shipped + examples)
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test("validate fails with FILE:LINE:COLUMN on a broken file, and keeps checking the others")
    func validateBroken() throws {
        let r = try LPSimProcess.run(["validate", "Tests/HardwareTests/Broken/unknown-key.yaml", "hardware/tpu-v1-like.yaml"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("Tests/HardwareTests/Broken/unknown-key.yaml:6:1: error: clcok: unknown key 'clcok'; did you mean 'clock'?"))
        #expect(r.stdout.contains("hardware/tpu-v1-like.yaml: ok"))
    }

    @Test("describe --json has the contract's fields and derived peaks")
    func describeJSON() throws {
        let r = try LPSimProcess.run(["describe", "hardware/nvidia-h100-sxm5.yaml", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["name"] as? String == "NVIDIA H100 SXM5")
        #expect(object["family"] as? String == "gpu")
        #expect(object["clock_hz"] as? Double == 1.83e9)
        let peaks = try #require(object["peak_ops_per_s"] as? [String: Double])
        #expect(abs(peaks["bf16"]! / 989.4e12 - 1) < 0.01)
        let text = try LPSimProcess.run(["describe", "hardware/xilinx-alveo-u250.yaml"])
        #expect(text.status == 0 && text.stdout.contains("int8"))
    }

    @Test("describe on a bad file is a positioned error")
    func describeBroken() throws {
        let r = try LPSimProcess.run(["describe", "Tests/HardwareTests/Broken/tab-indentation.yaml"])
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("Tests/HardwareTests/Broken/tab-indentation.yaml:28:1: error:"))
    }
}
