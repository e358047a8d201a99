/// Everything a comparison report shows, and nothing it computes: what
/// `lpsim compare --json` saves and `lpsim report` re-renders. Codable,
/// with sorted keys, so saved results are deterministic too.
public struct ComparisonData: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var hardware: String
        public var hardwareFile: String
        public var precision: String
        public var seconds: Double
        public var cycles: Double
        public var macs: Double
        public var energyJoules: Double
        public var computeJoules: Double
        public var onChipJoules: Double
        public var offChipJoules: Double
        public var staticJoules: Double
        /// `SimulationResult.areaSquareMillimetres`: the array sized for this
        /// plan's main format plus on-chip memories. Kept for saved results;
        /// reports show `Device.area` and `utilisedDatapathSquareMillimetres`.
        public var areaSquareMillimetres: Double
        /// The MAC array (with scale units) of this plan's main compute format
        /// at its peak rate, mm²: what the plan exercises, not the device's silicon.
        public var utilisedDatapathSquareMillimetres: Double? = nil
        /// Set when the run does not fit the device's memory and was simulated
        /// anyway (`--allow-overflow`): what overflows.
        public var overflow: String? = nil
        public var bitsPerWeight: Double
        public var weightFormat: String
        /// QSNR of the weight format on normal data (dB).
        public var qsnrDecibels: Double
        public var memoryBoundFraction: Double
        /// Share of the time in latency-bound ops (`Bound.latency`: fixed latencies, not throughput, set
        /// their time); nil in results saved before it, read as 0.
        public var latencyBoundFraction: Double? = nil
        /// Share of the time in compute-bound ops: what memory- and latency-bound ops leave.
        public var computeBoundFraction: Double { max(0, 1 - memoryBoundFraction - (latencyBoundFraction ?? 0)) }
        /// Share of the time in non-matrix ops (elementwise, norm, softmax, quantise…), each of which reads
        /// its inputs from and writes its outputs to off-chip memory on every family (a GPU's fusion saves
        /// only the launch): the report states it beside that assumption. nil in results saved before it.
        public var vectorOpFraction: Double? = nil
        public var topOps: [TopOp]
        /// QSNR of the dot products the device computes (its multiplier and
        /// accumulator, the plan's weight and input formats) at the K of the
        /// op with the most MACs; nil where the device has no emulation.
        public var outputQSNRDecibels: Double?
        /// The K `outputQSNRDecibels` was measured at.
        public var outputQSNRLength: Int?
        /// Why `outputQSNRDecibels` is nil when the trace has a matrix product (the device has no
        /// emulation of its formats): the results table says so on the row. nil in results saved before it.
        public var outputQSNRMissing: String? = nil
        /// QSNR of the weight format on the checkpoint of `compare --weights`.
        public var checkpointQSNRDecibels: Double?
        /// The formats this run's ops were dequantised to because the device cannot execute the
        /// plan's (nil when every op ran natively): the results table marks the row.
        public var dequantizedTo: [String]? = nil
    }

    public struct TopOp: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var format: String
        public var seconds: Double
        public var energyJoules: Double
        public var bound: String
        public var utilization: Double
    }

    public struct Device: Codable, Sendable, Equatable {
        public var name: String
        public var file: String
        public var source: String
        public var family: String
        public var clockHertz: Double
        public var node: String
        public var peaks: [String: Double]
        public var macEnergyPicojoules: [String: Double]
        public var memory: [String]
        /// FPGA only: per format, DSP MACs and LUT MACs per cycle and LUTs per LUT-built MAC.
        public var fpgaResources: [[String]]?
        /// The device's modelled area, constant across plans (nil in results saved before it was recorded).
        public var area: Area? = nil
    }

    /// A device's modelled silicon, mm² (`Simulator.DeviceArea`).
    public struct Area: Codable, Sendable, Equatable {
        public var totalSquareMillimetres: Double
        public var macArraySquareMillimetres: Double
        /// The executable format whose array is largest: it sizes the shared array.
        public var sizingFormat: String?
        public var scaleUnitsSquareMillimetres: Double
        public var onChipMemorySquareMillimetres: Double
    }

    /// A plan that did not run on a device, and why.
    public struct NotRun: Codable, Sendable, Equatable {
        public var hardware: String
        public var hardwareFile: String
        public var precision: String
        public var reason: String
    }

    /// What one inference is: the phase, the batch and the tokens or images it covers.
    public struct Work: Codable, Sendable, Equatable {
        /// "decode" or "prefill" for transformer traces; nil otherwise.
        public var phase: String?
        public var batch: Double?
        /// Positions attended by a decode step (its KV cache plus the new token).
        public var context: Double?
        /// A sentence: "one decode step at batch 1: 1 new token, 2049 positions attended".
        public var description: String
        /// A title and column label: "decode step, batch 1 (1 token)".
        public var label: String
    }

    /// One validated model figure that bears on this comparison, with how it was obtained.
    public struct Provenance: Codable, Sendable, Equatable {
        /// The model-validation section (reports/model-validation.md) the figure comes from.
        public var section: String
        /// The device file (by name) the figure checks; nil for the unit models every device shares.
        public var device: String?
        public var quantity: String
        public var published: Double
        public var lpsim: Double
        /// "calibrated" (the model was fitted to this figure), "derived" (the device file's constants
        /// reproduce it by construction) or "held-out" (an independent check).
        public var basis: String
        public var passes: Bool
        public var error: String
        public var source: String
    }

    public struct Input: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
    }

    public var title: String
    public var workload: String
    /// What one inference produces: "token", "image", "GEMM" or "inference", and how many.
    public var unit: String
    public var unitsPerInference: Double
    public var baselineHardware: String
    public var baselinePrecision: String
    public var entries: [Entry]
    public var devices: [Device]
    public var inputs: [Input]
    public var command: String
    public var version: String
    public var qsnrMethod: String
    /// The workload's parameters, total and used per token (mixture-of-experts
    /// models use fewer per token); nil in reports saved before they were recorded.
    public var parameters: Double? = nil
    public var activeParameters: Double? = nil
    /// What one inference is (nil in results saved before it was recorded).
    public var work: Work? = nil
    /// Plans that could not run on a device (an unexecutable format, a model that does not fit).
    public var notRun: [NotRun]? = nil
    /// The model-validation figures behind this comparison's devices and unit models.
    public var provenance: [Provenance]? = nil
}
