import Hardware

/// A FINN-style dataflow design: every matrix layer its own matrix–vector
/// unit, all streaming at once, so that one inference enters every
/// max-II cycles.
public struct DataflowDesign: Sendable {
    /// One unit: its layer, folding, multipliers, weight store, cycles per
    /// inference (its initiation interval) and resources.
    public struct Unit: Sendable, Hashable {
        public var layer: DataflowLayer
        public var pe: Int
        public var simd: Int
        public var style: MultiplierStyle
        public var store: WeightStore
        public var cycles: Int
        public var usage: FPGAUsage
        /// Cycles a sliding window takes to hold its first window: R input lines
        /// of W·C/SIMD words (the first term of FINN's `ConvolutionInputGenerator.get_exp_cycles`).
        public var windowFillCycles: Int {
            guard let w = layer.window else { return 0 }
            return w.kernelRows * w.inputWidth * max(1, w.channels / simd)
        }
        /// Weight bytes streamed from off-chip memory per inference (`.ddr` only).
        public var streamedBytes: Double {
            store == .ddr ? Double(layer.weightElements) * layer.weight.bitsPerElement / 8 : 0
        }
    }

    public var units: [Unit]
    public var clockHertz: Double
    /// Off-chip bandwidth in bytes per second (derated), for streamed weights.
    public var offChipBytesPerSecond: Double
    /// The device's budget.
    public var budget: FPGAUsage
    /// Cycles the shell's DMA engines take per inference to read the input
    /// in and write the output back (`DataflowTransfer.dmaCycles`); 0 where
    /// the device has none or the transfer is not known. They stream beside
    /// the units, so each is one more stage of the pipeline.
    public var inputDMACycles = 0
    public var outputDMACycles = 0
    /// Bytes the DMA engines read and write per inference (0 without them).
    public var dmaBytesPerInference = 0.0

    /// The slowest unit's cycles per inference.
    public var maxUnitII: Int { units.map(\.cycles).max() ?? 0 }
    /// The slowest stage's cycles per inference: a unit's, or a DMA engine's.
    public var maxII: Int { max(maxUnitII, inputDMACycles, outputDMACycles) }
    public var total: FPGAUsage { units.reduce(FPGAUsage()) { $0 + $1.usage } }
    public var streamedBytesPerInference: Double { units.reduce(0) { $0 + $1.streamedBytes } }

    /// Inferences per second: clock / max II, or the off-chip bandwidth over
    /// the weights streamed per inference when that is lower.
    public var inferencesPerSecond: Double {
        let compute = maxII > 0 ? clockHertz / Double(maxII) : .infinity
        let streamed = streamedBytesPerInference
        return streamed > 0 ? min(compute, offChipBytesPerSecond / streamed) : compute
    }

    /// Whether streamed weights, not the slowest unit, set the rate.
    public var isBandwidthBound: Bool {
        let streamed = streamedBytesPerInference
        return streamed > 0 && offChipBytesPerSecond / streamed < clockHertz / Double(max(maxII, 1))
    }

    /// Seconds from an inference's first input to its last output: the sum
    /// of the units' cycles per inference and of their sliding windows'
    /// fills (R lines before the first window), FINN's critical-path estimate
    /// (Xilinx/finn `analysis/fpgadataflow/dataflow_performance.py`, which
    /// adds `get_exp_cycles` along the longest path). It ignores the overlap
    /// of neighbouring units within one inference and each unit's short
    /// pipeline fill, which work against each other. The DMA engines' reads
    /// and writes of the inference are two more stages; at the bandwidth bound
    /// the streamed weights' transfer time is the floor.
    public var latencySeconds: Double {
        let stages = units.reduce(inputDMACycles + outputDMACycles) { $0 + $1.cycles + $1.windowFillCycles }
        let cycles = Double(stages) / clockHertz
        let streamed = streamedBytesPerInference
        return max(cycles, streamed > 0 ? streamed / offChipBytesPerSecond : 0)
    }

    /// The name of what sets the rate: the slowest unit, a DMA engine, or the off-chip memory.
    public var bottleneck: String {
        if isBandwidthBound { return "off-chip weight streaming" }
        if maxII > maxUnitII { return inputDMACycles >= outputDMACycles ? "input DMA" : "output DMA" }
        return units.max { $0.cycles < $1.cycles }?.layer.name ?? "-"
    }
}
