import Hardware
import Simulator
import Workload

/// A published Hexagon-class INT8 result beside lpsim's DSP model (the device
/// file `hexagon-hvx-like.yaml` predates the comparison and was not changed
/// for it). Out of scope, not counted: the measured NPU (Hexagon Tensor
/// Processor, Snapdragon 8 Gen 2) runs convolutions on its matrix unit (HMX),
/// which the DSP family does not describe (vector lanes, VLIW slots, TCM and
/// DMA), and Qualcomm publishes no HMX width or clock to describe it from. A
/// published INT8 latency of an HVX-only Hexagon (682/685, before the tensor
/// units) would be the held-out check; none was found with its text at hand.
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
            note: "out of scope: the measured NPU runs convolutions on the HTP's matrix unit (HMX), which the "
                + "DSP family (HVX vector lanes, VLIW slots, VTCM and DMA) does not describe and whose width and "
                + "clock are unpublished; it also fuses BN and ReLU that lpsim keeps as separate ops through "
                + "LPDDR. Not counted; an HVX-only Hexagon's published INT8 latency would be the check",
            basis: .outOfScope)
        return ("DSP designs (out of scope: no HVX-only published figure)", [row])
    }
}
