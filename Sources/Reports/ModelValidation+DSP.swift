import Hardware
import Simulator
import Workload

/// A published Hexagon-class INT8 result beside lpsim's DSP model: held out
/// (the device file `hexagon-hvx-like.yaml` predates the comparison and was
/// not changed for it).
enum DSPDesignValidation {
    static let aiHub = "quic/ai-hub-models commit 0d75698 (2025-02-12): qai_hub_models/models/"
        + "mobilenet_v2_quantized/perf.yaml, Samsung Galaxy S23 (Snapdragon 8 Gen 2), TFLite, int8, NPU"

    static func rows(hardwareDirectory: String) throws -> (String, [ModelValidation.Row]) {
        let root = hardwareDirectory + "/.."
        let hexagon = try HardwareLoader.load(hardwareDirectory + "/hexagon-hvx-like.yaml")
        let trace = try TraceReader.load(root + "/workloads/mobilenet_v2.yaml")
        let r = try Simulator(hardware: hexagon, plan: try PrecisionPlan.load("int8")).run(trace)
        let row = ModelValidation.Row(
            quantity: "Hexagon MobileNet-v2 INT8 latency (HVX-like file vs Snapdragon 8 Gen 2)", published: 0.433,
            lpsim: r.seconds * 1e3, unit: "ms", tolerance: 0.25, absolute: false, source: aiHub,
            note: "held-out; the measured NPU runs convolutions on the HTP's matrix unit (HMX), which the "
                + "HVX-like file (vector lanes, estimated clock and unit count) does not describe, and fuses "
                + "BN and ReLU that lpsim keeps as separate ops through LPDDR")
        return ("DSP designs (held-out)", [row])
    }
}
