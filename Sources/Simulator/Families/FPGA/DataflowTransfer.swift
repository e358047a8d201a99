import Documents
import Workload

/// What a dataflow design moves between off-chip memory and its streams per
/// inference: the trace's first op's input and its last op's output, in the
/// plan's formats. A FINN shell reads the one and writes the other through
/// DMA engines (`IODMA`) of a fixed AXI width, one word per cycle, and on a
/// small network that — not the slowest matrix unit — can set the rate.
public struct DataflowTransfer: Sendable, Hashable {
    /// Bits read in per inference (the first op's input operand).
    public var inputBits: Int
    /// Bits written back per inference (the last op's output operand).
    public var outputBits: Int

    public init(inputBits: Int, outputBits: Int) {
        self.inputBits = inputBits
        self.outputBits = outputBits
    }

    /// The transfers of `trace` under `plan`: the first op's input elements
    /// and the last op's output elements (one repetition each), times their
    /// formats' bits per element.
    ///
    /// - Throws: `Diagnostic` for an empty trace, an op whose counts
    ///   overflow, or a plan that gives the operand no format.
    public init(trace: Trace, plan: PrecisionPlan, file: String = "") throws {
        guard let first = trace.ops.first, let last = trace.ops.last else {
            throw Diagnostic(file: file, message: "the workload has no ops: no input or output to transfer")
        }
        func bits(_ op: Op, _ role: OperandRole, _ elements: Int64) throws -> Int {
            guard let format = plan.formats(for: op)[role] else {
                throw Diagnostic(file: file, message: "op '\(op.name)': the plan gives no \(role) format")
            }
            let total = (Double(elements) * format.bitsPerElement).rounded(.up)
            guard total < Double(Int.max / 2) else {
                throw Diagnostic(file: file, message: "op '\(op.name)': its \(role) transfer overflows")
            }
            return Int(total)
        }
        do {
            inputBits = try bits(first, .input, try first.counts().inputElements)
            outputBits = try bits(last, .output, try last.counts().outputElements)
        } catch let e as ShapeError {
            throw Diagnostic(file: file, message: "the workload's first or last op: \(e.message)")
        }
    }

    /// Cycles an `IODMA` takes to move `bits` at most `maxWidth` bits wide:
    /// FINN's `InsertIODMA` sets the interface width to gcd(transfer bits,
    /// max width) so that a transfer is whole words (Xilinx/finn
    /// `transformation/fpgadataflow/insert_iodma.py`), and finn-hlslib's
    /// `Mem2Stream`/`Stream2Mem` move one word per cycle (`dma.h`,
    /// `#pragma HLS pipeline II=1`). A transfer is whole bytes (a buffer in
    /// memory), so `bits` is rounded up to a multiple of 8 first; 0 bits
    /// take 0 cycles.
    public static func dmaCycles(bits: Int, maxWidth: Int) -> Int {
        guard bits > 0, maxWidth > 0 else { return 0 }
        let bytesBits = (bits + 7) / 8 * 8
        var a = bytesBits, b = maxWidth
        while b != 0 { (a, b) = (b, a % b) }
        return bytesBits / a
    }
}
