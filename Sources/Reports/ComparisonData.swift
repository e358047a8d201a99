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
        public var areaSquareMillimetres: Double
        public var bitsPerWeight: Double
        public var weightFormat: String
        /// QSNR of the weight format on normal data (dB).
        public var qsnrDecibels: Double
        public var memoryBoundFraction: Double
        public var topOps: [TopOp]
        /// QSNR of the dot products the device computes (its multiplier and
        /// accumulator, the plan's weight and input formats) at the K of the
        /// op with the most MACs; nil where the device has no emulation.
        public var outputQSNRDecibels: Double?
        /// The K `outputQSNRDecibels` was measured at.
        public var outputQSNRLength: Int?
        /// QSNR of the weight format on the checkpoint of `compare --weights`.
        public var checkpointQSNRDecibels: Double?
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
    }

    public struct Input: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
    }

    public var title: String
    public var workload: String
    /// What one inference produces: "token" or "image", and how many.
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
}
