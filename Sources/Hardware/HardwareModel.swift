import Arithmetic
import Formats
import Workload

/// A described device: shared parts plus its family's own.
public struct HardwareModel: Sendable {
    public var name: String
    /// The family's name (`family:`), as `spec` gives it.
    public var family: String { type(of: spec).name }
    /// Where the figures come from.
    public var source: String?
    public var technology: Technology
    public var clockHertz: Double
    /// Thermal design power, if published.
    public var tdpWatts: Double?
    /// Static (leakage and idle) power drawn whenever the device runs.
    public var staticWatts: Double
    /// Energy per MAC of 16-bit operands beyond the arithmetic itself —
    /// operand delivery, clocking, control — where the file calibrates one
    /// (pJ; 0 otherwise). See `macOverheadPicojoules(for:)`.
    public var macOverheadPicojoules: Double = 0

    /// The per-MAC overhead for MACs in `format`: operands are delivered a
    /// bit at a time and one instruction drives more MACs at lower precision,
    /// so the overhead, calibrated on 16-bit GEMMs (BF16 at the TDP), scales
    /// with the format's bits per element (an estimate: 8-bit MACs pay half).
    public func macOverheadPicojoules(for format: NumberFormat) -> Double {
        macOverheadPicojoules * format.bitsPerElement / 16
    }
    /// Memory levels, from the processing elements outward.
    public var memory: [MemoryLevel]
    public var datapath: Datapath
    /// The family's own section, decoded by the family.
    public var spec: any FamilySpec
    /// Non-fatal findings (an accumulator that may be too narrow).
    public var warnings: [String]
    /// The file it was read from.
    public var file: String

    /// Dense peak operations per second for a format (a MAC is 2 ops), or
    /// nil when the datapath does not execute it.
    public func peakOpsPerSecond(_ format: NumberFormat) -> Double? {
        guard let macs = macsPerCycle(format) else { return nil }
        return 2 * macs * clockHertz
    }

    /// Dense MACs per clock cycle for a format, over the whole device.
    public func macsPerCycle(_ format: NumberFormat) -> Double? {
        spec.macsPerCycle(format, datapath: datapath)
    }

    /// Formats with a MAC rate, in the order the file lists them.
    public var executableFormats: [NumberFormat] { spec.executableFormats(datapath) }

    /// The off-chip memory level (the last one).
    public var offChip: MemoryLevel? { memory.last { $0.kind.isOffChip } }
}

/// A format and a MAC rate for it.
public struct FormatRate: Sendable, Hashable {
    public var format: NumberFormat
    public var macs: Double
    /// Where the rate comes from, when the file says.
    public var source: String?

    public init(format: NumberFormat, macs: Double, source: String? = nil) {
        self.format = format
        self.macs = macs
        self.source = source
    }
}

/// One level of the memory hierarchy.
public struct MemoryLevel: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case registers, sram, cache, bram, uram, tcm, hbm, dram, ddr
        /// Graphics and mobile DRAM (JEDEC JESD250 GDDR6, Micron GDDR6X, JESD239 GDDR7,
        /// JESD209-5 LPDDR5): off-chip like the rest.
        case gddr6, gddr6x, gddr7, lpddr5
        public var isOffChip: Bool {
            switch self {
            case .hbm, .dram, .ddr, .gddr6, .gddr6x, .gddr7, .lpddr5: true
            default: false
            }
        }
    }

    public var name: String
    public var kind: Kind
    public var capacityBytes: Double
    public var bandwidthBytesPerSecond: Double
    public var energyPerByteJoules: Double
    /// Operand roles this level holds (all roles when the file says nothing).
    public var holds: [OperandRole]
    /// The fraction of `bandwidthBytesPerSecond` that streaming kernels achieve (1 if not given).
    public var achievableFraction: Double = 1
}

/// The processing element's arithmetic.
public struct Datapath: Sendable {
    public enum MultiplierKind: String, Sendable, CaseIterable { case exact, lmul, binary }

    /// How partial sums are kept.
    public enum AccumulatorSpec: Sendable, Hashable {
        case integer(bits: Int, saturating: Bool)
        /// A float accumulator; `keptBits` models aligned truncation (FP8 tensor cores).
        case float(Minifloat, keptBits: Int?)
    }

    public var formats: [NumberFormat]
    public var multiplier: MultiplierKind
    public var accumulator: AccumulatorSpec
    /// Promote partial sums to FP32 every N products (nil: never).
    public var promotionInterval: Int?
    /// Block-scaled formats with native scale handling.
    public var blockScale: [BlockFormat]
    /// User figures replacing the model for specific units.
    public var costOverrides: [ArithmeticUnit: UnitCost]
    /// Lanes of the dot-product units MACs are built from (nil: block
    /// formats use their block size, scalar formats scalar MACs).
    public var dotProductLanes: Int? = nil
}
