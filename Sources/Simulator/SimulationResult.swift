import Formats
import Hardware
import Workload

/// What sets an op's time: its arithmetic, its memory traffic, or neither.
public enum Bound: String, Sendable {
    case compute, memory
    /// Neither the datapath's throughput nor any memory's bandwidth accounts for half the op's time:
    /// fixed latencies do (the shortest kernel, the launch gap, a pipeline's fill, an off-chip round
    /// trip). Fewer bits per operand or more MACs per clock do not shorten such an op.
    case latency

    /// The share of an op's time below which its throughput terms leave it latency-bound.
    public static let latencyShare = 0.5

    /// `.latency` when the larger of `computeCycles` and `memoryCycles` is under half of `totalCycles`
    /// (the op's cycles with its fixed overhead); else whichever of the two is larger (memory on a tie
    /// goes to compute, as before the latency case existed).
    public init(computeCycles: Double, memoryCycles: Double, totalCycles: Double) {
        if max(computeCycles, memoryCycles) < totalCycles * Self.latencyShare {
            self = .latency
        } else {
            self = memoryCycles > computeCycles ? .memory : .compute
        }
    }
}

/// Where an op's energy went, joules.
public struct EnergyBreakdown: Sendable, Hashable {
    public var compute = 0.0
    public var onChipMemory = 0.0
    public var offChipMemory = 0.0
    public var staticEnergy = 0.0

    public init() {}
    public var total: Double { compute + onChipMemory + offChipMemory + staticEnergy }

    public static func + (a: EnergyBreakdown, b: EnergyBreakdown) -> EnergyBreakdown {
        var s = EnergyBreakdown()
        s.compute = a.compute + b.compute
        s.onChipMemory = a.onChipMemory + b.onChipMemory
        s.offChipMemory = a.offChipMemory + b.offChipMemory
        s.staticEnergy = a.staticEnergy + b.staticEnergy
        return s
    }
}

/// One op's simulated figures, all repetitions included.
public struct OpResult: Sendable {
    public var name: String
    public var kind: OpKind
    public var repeatCount: Int
    /// The format the MACs ran in.
    public var computeFormat: NumberFormat
    /// Index of the op's operand formats in `SimulationResult.assignments`
    /// (a trace has a handful of distinct assignments; an index keeps a
    /// result of a million ops from holding a million copies of them).
    public var assignment: Int
    public var macs: Double
    public var cycles: Double
    public var computeCycles: Double
    public var stallCycles: Double
    public var seconds: Double
    public var energy: EnergyBreakdown
    public var bound: Bound
    /// The memory side of `bound`'s decision (cycles, all repetitions), kept while the replay may
    /// still fuse the op and decide its bound again without the launch; not saved by a result spool.
    var memoryCycles = 0.0
    /// Off-chip bytes moved.
    public var offChipBytes: Double
    /// MACs done / MACs the datapath could have done in the op's time.
    public var utilization: Double
    /// How the op was laid onto the device (`SimulationResult.mapping(of:)` names it).
    public var mapping: Mapping
    /// Whether the op's clock was lowered to keep its power within the TDP.
    public var throttled: Bool
    /// SCALE-Sim's per-operand access counts, on a systolic array's matrix products.
    public var access: SystolicAccess? = nil
    /// Whether the device executes none of the op's formats, so that its
    /// operands were dequantised to `computeFormat` on the way in.
    public var dequantized = false
}

/// A whole trace on one device under one precision plan.
public struct SimulationResult: Sendable {
    public var hardware: String
    public var hardwareFile: String
    public var workload: String
    public var precision: String
    public var clockHertz: Double
    public var ops: [OpResult]
    /// The distinct operand-format assignments of the ops (`OpResult.assignment`).
    public var assignments: [RoleFormats]
    /// Area of the MAC array (sized for the plan's main compute format) plus on-chip memories, mm².
    public var areaSquareMillimetres: Double
    /// The name of each mapping the ops use (`FamilyEngine.describe`).
    public var mappingNames: [Mapping: String]
    /// What a reader must know about the figures (ops held to the power cap).
    public var notes: [String]

    /// How `op`, one of this result's ops, was mapped.
    public func mapping(of op: OpResult) -> String { mappingNames[op.mapping] ?? "" }

    /// The format of each operand role of `op`, one of this result's ops.
    public func formats(of op: OpResult) -> RoleFormats { assignments[op.assignment] }

    public var cycles: Double { ops.reduce(0) { $0 + $1.cycles } }
    public var seconds: Double { ops.reduce(0) { $0 + $1.seconds } }
    public var macs: Double { ops.reduce(0) { $0 + $1.macs } }
    public var energy: EnergyBreakdown { ops.reduce(EnergyBreakdown()) { $0 + $1.energy } }
    public var energyJoules: Double { energy.total }
    public var offChipBytes: Double { ops.reduce(0) { $0 + $1.offChipBytes } }
    /// The ops' SCALE-Sim access counts summed; nil when no op has any (not a systolic array).
    public var access: SystolicAccess? {
        ops.reduce(nil as SystolicAccess?) { sum, op in op.access.map { (sum ?? SystolicAccess()) + $0 } ?? sum }
    }
}
