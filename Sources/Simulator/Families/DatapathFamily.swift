import Formats
import Hardware
import Workload

/// A datapath family the simulator can run: its hardware description
/// (`FamilySpec`) and the engine that maps an op onto a device of the family
/// and times it. One folder per family under `Families/`; `FamilyRegistry.standard`
/// lists them. A package outside lpsim adds a family by conforming a type
/// to this protocol and handing a registry that includes it to the loader.
public protocol DatapathFamily: FamilySpec {
    /// The engine for one device, with its device-level figures worked out
    /// once (not per op).
    func engine(for device: DeviceFigures) -> any FamilyEngine
}

/// Maps and times the matrix products of one device.
public protocol FamilyEngine: Sendable {
    /// The mapping and timing of one repetition of a matrix product.
    func matrix(_ work: MatrixWork) -> Timing
    /// The mapping as the per-op output names it (`ws`, `tile 128x128x64 split-k 4`).
    func describe(_ mapping: Mapping) -> String
    /// Fraction of the family's dense rate it sustains in `format` (a GPU's
    /// measured main-loop efficiency), looked up once per format.
    func sustainedFraction(_ format: NumberFormat) -> Double
    /// Whether the kernels of neighbouring ops fuse (a GPU's epilogue and
    /// prologue fusion): fused ops pay no launch of their own.
    var fusesKernels: Bool { get }
    /// Time to start one kernel or op.
    var launchOverheadSeconds: Double { get }
    /// Whether attention runs as one fused kernel (FlashAttention): the
    /// scores of QKᵀ stay on chip, softmax runs on them there, PV reads them there.
    var fusesAttention: Bool { get }
    /// Whether a causal attention product skips the blocks its mask hides
    /// (FlashAttention's causal kernels: `GEMMView.mask`, counted per tile; the
    /// masked products inside a diagonal tile are timed but, like a padded
    /// tile's, not charged MAC energy);
    /// false: the whole score rectangle runs and is masked afterwards, its
    /// masked products costing time and energy, and the simulation's notes say so.
    var skipsMaskedBlocks: Bool { get }
    /// Non-MAC operations per cycle for an op of `kind` whose input elements
    /// are `bits` wide (integers when `isInteger`); nil: the family's single
    /// `vectorOpsPerCycle`.
    func vectorOpsPerCycle(_ kind: OpKind, bits: Double, isInteger: Bool) -> Double?
    /// Vector operations per cycle for the work a matrix product hands the vector units (promotion of
    /// partial sums, software block scaling); nil: the family's single `vectorOpsPerCycle`.
    var sideWorkOpsPerCycle: Double? { get }
    /// Energy of one MAC in `format` when the family prices it its own way
    /// (an FPGA's resources, `FPGAPower`), pJ; nil: the datapath's cell
    /// cost plus the file's `mac_overhead`.
    func macPicojoules(_ format: NumberFormat) -> Double?
    /// Whether the device skips the MACs an N:M-sparse weight prunes (`MatrixWork.sparsity` is set only
    /// then); false: a sparse op runs dense and the simulation's notes say so.
    var skipsStructuredSparsity: Bool { get }
    /// Why the device runs an N:M-sparse op dense (when it does not skip), for the simulation's notes.
    func denseSparsityReason(family: String) -> String
}

extension FamilyEngine {
    public func sustainedFraction(_ format: NumberFormat) -> Double { 1 }
    public var fusesKernels: Bool { false }
    public var launchOverheadSeconds: Double { 0 }
    public var fusesAttention: Bool { false }
    public var skipsMaskedBlocks: Bool { false }
    public func vectorOpsPerCycle(_ kind: OpKind, bits: Double, isInteger: Bool) -> Double? { nil }
    public func macPicojoules(_ format: NumberFormat) -> Double? { nil }
    public var sideWorkOpsPerCycle: Double? { nil }
    public var skipsStructuredSparsity: Bool { false }
    public func denseSparsityReason(family: String) -> String { "lpsim models no sparse MACs on a \(family) device" }
}

/// A device's figures that every family's timing uses, read once per run.
public struct DeviceFigures: Sendable {
    public let hardware: HardwareModel
    /// Off-chip bandwidth in bytes per cycle, derated by the level's achievable fraction.
    public let offChipBytesPerCycle: Double

    public init(_ hardware: HardwareModel) {
        self.hardware = hardware
        let offChip = hardware.offChip
        offChipBytesPerCycle = offChip.map { $0.bandwidthBytesPerSecond * $0.achievableFraction / hardware.clockHertz }
            ?? .infinity
    }

    /// Compute and off-chip traffic overlapped (double buffering): the
    /// slower of the two sets the time.
    public func overlap(compute: Double, offChip: Double, onChip: Double, overhead: Double = 0,
                        mapping: Mapping) -> Timing {
        let memory = offChip / offChipBytesPerCycle
        return Timing(computeCycles: compute, memoryCycles: memory, cycles: max(compute, memory),
                      offChipBytes: offChip, onChipBytes: onChip, overheadSeconds: overhead, mapping: mapping)
    }
}

/// One repetition of a matrix product, as the engine sees it.
public struct MatrixWork: Sendable {
    public var view: GEMMView
    /// The op's own shape (a convolution's window, for engines that need it).
    public var shape: Shape
    /// A convolution's output height and width (nil for other ops).
    public var outputSize: (Int, Int)?
    /// The device's dense MACs per cycle in the compute format.
    public var macsPerCycle: Double
    /// `FamilyEngine.sustainedFraction` of the compute format.
    public var sustained: Double
    /// Element widths of the weight and input operands as stored (bits).
    public var weightBits: Double
    public var inputBits: Double
    public var outputBits: Double
    public var weightBytes: Double
    public var inputBytes: Double
    public var outputBytes: Double
    /// The compute format (a GPU's kernels pick tiles per format; a family may run formats on
    /// different units); nil where the caller does not say.
    public var format: NumberFormat? = nil
    /// The weight's N:M structured sparsity (nil when dense): a systolic array skips the pruned rows of K.
    public var sparsity: StructuredSparsity? = nil
}

/// How an op was laid onto the device: a family-defined scheme and up to
/// four numbers (a dataflow, a CTA tile and its split-K factor), small and
/// hashable so that a million ops intern a handful of mappings.
public struct Mapping: Sendable, Hashable {
    public var scheme: UInt8
    public var values: SIMD4<Int32>

    public init(scheme: UInt8, _ a: Int = 0, _ b: Int = 0, _ c: Int = 0, _ d: Int = 0) {
        self.scheme = scheme
        values = SIMD4(Int32(clamping: a), Int32(clamping: b), Int32(clamping: c), Int32(clamping: d))
    }

    /// Non-matrix work on the device's vector units.
    public static let vector = Mapping(scheme: 250)
    /// Fused into the previous op's kernel.
    public static let fused = Mapping(scheme: 251)
}

/// Per-repetition timing of an op, with the mapping that gave it.
public struct Timing: Sendable {
    public var computeCycles: Double
    public var memoryCycles: Double
    public var cycles: Double
    public var offChipBytes: Double
    public var onChipBytes: Double
    public var overheadSeconds: Double
    public var mapping: Mapping
    /// SCALE-Sim's per-operand access counts (systolic arrays), per repetition.
    public var access: SystolicAccess?

    public init(computeCycles: Double, memoryCycles: Double, cycles: Double, offChipBytes: Double,
                onChipBytes: Double, overheadSeconds: Double, mapping: Mapping) {
        self.computeCycles = computeCycles
        self.memoryCycles = memoryCycles
        self.cycles = cycles
        self.offChipBytes = offChipBytes
        self.onChipBytes = onChipBytes
        self.overheadSeconds = overheadSeconds
        self.mapping = mapping
        self.access = nil
    }
}

extension FamilyRegistry {
    /// The families lpsim ships, in the order errors list them.
    public static let standard = FamilyRegistry([
        GPUFamily.self, SystolicFamily.self, FPGAFamily.self, DSPFamily.self, BitFusionFamily.self,
    ])
}

extension HardwareLoader {
    /// Loads `path` with lpsim's own families (`FamilyRegistry.standard`).
    public static func load(_ path: String) throws -> HardwareModel {
        try load(path, families: .standard)
    }
}

/// A number without a trailing `.0`, for mapping names and resource tables.
func trimmedNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}
