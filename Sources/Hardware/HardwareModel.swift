import Arithmetic
import Formats

/// The four datapath families lpsim models, each mapping ops to cycles its own way.
public enum Family: String, Sendable, CaseIterable, Hashable {
    case gpu, systolic, fpga, dsp
}

/// What an operand is to an op; hardware levels say which roles they hold.
public enum OperandRole: String, Sendable, CaseIterable, Hashable, Comparable {
    case weight, input, output, accumulator

    public static func < (a: OperandRole, b: OperandRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A described device: shared parts plus its family's own.
public struct HardwareModel: Sendable {
    public var name: String
    public var family: Family
    /// Where the figures come from.
    public var source: String?
    public var technology: Technology
    public var clockHertz: Double
    /// Thermal design power, if published.
    public var tdpWatts: Double?
    /// Static (leakage and idle) power drawn whenever the device runs.
    public var staticWatts: Double
    /// Energy per MAC beyond the arithmetic itself — operand delivery,
    /// clocking, control — where the file calibrates one (pJ; 0 otherwise).
    public var macOverheadPicojoules: Double = 0
    /// Memory levels, from the processing elements outward.
    public var memory: [MemoryLevel]
    public var datapath: Datapath
    public var details: FamilyDetails
    /// Non-fatal findings (an accumulator that may be too narrow).
    public var warnings: [String]
    /// The file it was read from.
    public var file: String

    /// Dense peak operations per second for a format (a MAC is 2 ops), or
    /// nil when the datapath does not execute it.
    public func peakOpsPerSecond(_ format: String) -> Double? {
        guard let macs = macsPerCycle(format) else { return nil }
        return 2 * macs * clockHertz
    }

    /// Dense MACs per clock cycle for a format, over the whole device.
    public func macsPerCycle(_ format: String) -> Double? {
        switch details {
        case .gpu(let g):
            let tensorCores = Double(g.streamingMultiprocessors * g.tensorCoresPerSM)
            if let rate = g.denseMACsPerClock.first(where: { $0.format == format })?.macs { return tensorCores * rate }
            // Bit decomposition: a p × p-bit product takes p·p binary passes (arXiv 2409.17870).
            guard let bits = decomposedBits(format), let binary = g.binaryMACsPerClock else { return nil }
            return tensorCores * binary / Double(bits * bits)
        case .systolic(let s):
            guard let rate = s.macsPerPEPerClock.first(where: { $0.format == format })?.macs else { return nil }
            return Double(s.rows * s.columns) * rate
        case .fpga(let f):
            let dsp = f.dspPacking.first(where: { $0.format == format }).map { Double(f.dsps) * $0.macs } ?? 0
            let total = dsp + lutMACsPerCycle(format)
            return total > 0 ? total : nil
        case .dsp(let d):
            guard let perLane = d.macsPerLanePerCycle.first(where: { $0.format == format })?.macs,
                  let format = try? FormatCatalog.format(named: format) else { return nil }
            let lanes = Double(d.vectorWidthBits) / format.bitsPerElement.rounded(.up)
            return Double(d.vectorUnits) * lanes.rounded(.down) * perLane
        }
    }

    /// The width of an integer format run by bit decomposition on a binary
    /// datapath, or nil.
    public func decomposedBits(_ format: String) -> Int? {
        guard datapath.multiplier == .binary, case .scalar(.integer(let i))? = try? FormatCatalog.format(named: format),
              i.fractionBits == 0, i.kind != .unsigned else { return nil }
        return i.bitWidth
    }

    /// Formats with a MAC rate, in the order the file lists them.
    public var executableFormats: [String] {
        switch details {
        case .gpu(let g):
            let decomposed = datapath.formats.map(\.name).filter { decomposedBits($0) != nil && g.binaryMACsPerClock != nil }
            return g.denseMACsPerClock.map(\.format) + decomposed.filter { f in !g.denseMACsPerClock.contains { $0.format == f } }
        case .systolic(let s): return s.macsPerPEPerClock.map(\.format)
        case .fpga(let f):
            let lutOnly = f.lutFraction > 0 ? datapath.formats.map(\.name).filter { n in !f.dspPacking.contains { $0.format == n } } : []
            return f.dspPacking.map(\.format) + lutOnly
        case .dsp(let d): return d.macsPerLanePerCycle.map(\.format)
        }
    }

    /// The off-chip memory level (the last one).
    public var offChip: MemoryLevel? { memory.last { $0.kind.isOffChip } }
}

/// A format and a MAC rate for it.
public struct FormatRate: Sendable, Hashable {
    public var format: String
    public var macs: Double
    /// Where the rate comes from, when the file says.
    public var source: String?
}

/// One level of the memory hierarchy.
public struct MemoryLevel: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case registers, sram, cache, bram, uram, tcm, hbm, dram, ddr
        public var isOffChip: Bool { self == .hbm || self == .dram || self == .ddr }
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

/// The family-specific description.
public enum FamilyDetails: Sendable {
    case gpu(GPUSpec)
    case systolic(SystolicSpec)
    case fpga(FPGASpec)
    case dsp(DSPSpec)
}

public struct GPUSpec: Sendable {
    public var streamingMultiprocessors: Int
    public var tensorCoresPerSM: Int
    /// Dense MACs per clock per tensor core, per format.
    public var denseMACsPerClock: [FormatRate]
    /// Binary (1-bit) MACs per clock per tensor core, for bit-decomposition.
    public var binaryMACsPerClock: Double?
    public var launchOverheadSeconds: Double
    /// CTA tiles (M, N, K) the GEMM library chooses from.
    public var tiles: [[Int]]
    /// Fraction of the dense peak a large, well-tuned GEMM's main loop
    /// sustains, per format (clock throttling at TDP, pipeline bubbles);
    /// 1 where the file gives none.
    public var sustainedFraction: [FormatRate] = []
}

public struct SystolicSpec: Sendable {
    public enum Dataflow: String, Sendable, CaseIterable { case os, ws, `is` }
    public var rows: Int
    public var columns: Int
    public var dataflow: Dataflow
    public var ifmapBufferBytes: Double
    public var filterBufferBytes: Double
    public var ofmapBufferBytes: Double
    public var macsPerPEPerClock: [FormatRate]
}

public struct FPGASpec: Sendable {
    public enum DSPType: String, Sendable, CaseIterable { case dsp48e2, dsp58 }
    public var part: String?
    public var luts: Int
    public var flipFlops: Int
    public var dsps: Int
    public var dspType: DSPType
    public var bram36k: Int
    public var uram: Int
    /// MACs per DSP slice per cycle, per format (e.g. two INT8 MACs sharing
    /// an operand on a DSP48E2, AMD WP486).
    public var dspPacking: [FormatRate]
    /// Share of LUTs available for LUT-built multipliers.
    public var lutFraction: Double
}

public struct DSPSpec: Sendable {
    public var vectorUnits: Int
    public var vectorWidthBits: Int
    /// MACs per vector lane per cycle, per format.
    public var macsPerLanePerCycle: [FormatRate]
    public var vliwSlots: Int
}
