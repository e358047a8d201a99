import Formats
import Hardware
import Simulator
import Workload

/// A clock-free Hexagon row: the `vrmpy` a VLIW packet sustains in a published HVX int8 inner loop.
///
/// Held out. Halide PR #1825 (halide/Halide, D. Sharlet, 2017-02-10) gives the inner loop of its uint8
/// matrix product as "32 vrmpy instructions in 19 packets, all accumulators stored in registers": a static
/// count of one iteration of a compiler-scheduled loop, independent of the clock and of the thread count,
/// which checks `DSPEngine`'s issue rule (slot classes, loads per vector MAC) on its own. lpsim's figure is
/// the `vrmpy` one context issues per packet it issues: its compute cycles with the device file's context
/// count and thread clock divided out. The PR's 0.0214 s for the 1024³ product is not compared: the PR names
/// no device, clock or thread count (`workloads/hexagon/README.md`, third search).
extension DSPDesignValidation {
    static let halideLoop = "halide/Halide PR #1825 (D. Sharlet, 2017-02-10, \"Add vrmpy, vdmpy, improve vmpa on "
        + "Hexagon\"): \"The inner loop has 32 vrmpy instructions in 19 packets, all accumulators stored in "
        + "registers\" (apps/hexagon_matmul, HVX 128-byte schedule, uint8 × uint8 → uint32)"

    /// `vrmpy` per packet of one HVX context on the 1024³ product: published 32 / 19.
    static func halideLoopRow(hardwareDirectory: String, plan: PrecisionPlan) throws -> ModelValidation.Row {
        let file = "qualcomm-sd888-cdsp-hvx.yaml"
        let device = try HardwareLoader.load(hardwareDirectory + "/" + file)
        let trace = try TraceReader.load(hardwareDirectory
                                         + "/../workloads/hexagon/halide-matmul-1024x1024x1024.yaml")
        let r = try Simulator(hardware: device, plan: plan).run(trace)
        let op = try single(r.ops, file)
        guard let spec = device.spec as? DSPFamily, let peak = spec.vectorMACsPerCycle(op.computeFormat) else {
            throw DSPRowError.unexpected("\(file): not a DSP with a vector \(op.computeFormat.name) rate")
        }
        // MACs of one vrmpy in one context (128: 32 lanes × 4 byte products), and the packets one context
        // issues: a core cycle carries one only in the thread clock's share of the cycles.
        let contexts = Double(spec.vectorUnits)
        let macsPerInstruction = peak / contexts
        let share = spec.threadClockHertz.map { min(1, $0 / device.clockHertz) } ?? 1
        let perPacket = op.macs / contexts / macsPerInstruction / (op.computeCycles * share)
        return ModelValidation.Row(
            quantity: "Halide vrmpy matmul inner loop (HVX 128 B, uint8), vrmpy per packet", published: 32.0 / 19,
            lpsim: perPacket, unit: "vrmpy/packet", tolerance: 0.25, absolute: false, source: halideLoop,
            note: "held-out, clock-free: a static packet count of the loop body, compared with lpsim's compute "
                + "cycles per context (the file's 4 contexts and 600 MHz thread clock divided out, so neither "
                + "enters); the loop's 4 × 4 register tile loads each B vector once for four rows (8 vector "
                + "loads per 32 vrmpy, two vrmpy a packet on the two multiply pipes), where lpsim's DSP engine "
                + "counts one vector load per vector MAC and the file's one HVX load pipe caps issue at one "
                + "vrmpy a packet; predicted before the run (workloads/hexagon/README.md). The PR's 0.0214 s "
                + "is not compared: no device, clock or thread count is given",
            basis: .heldOut, device: file)
    }

    private static func single(_ ops: [OpResult], _ file: String) throws -> OpResult {
        guard ops.count == 1, let op = ops.first else {
            throw DSPRowError.unexpected("\(file): the Halide workload should be one op, got \(ops.count)")
        }
        return op
    }
}

/// A shipped device file or workload that no longer has the shape a DSP row reads: said, never trapped.
enum DSPRowError: Error, CustomStringConvertible {
    case unexpected(String)

    var description: String {
        switch self { case .unexpected(let message): "error: \(message)" }
    }
}
