import Formats
import Arithmetic
import Hardware

/// The modelled silicon of one device: one figure that does not change with
/// the precision plan run on it (`SimulationResult.areaSquareMillimetres`
/// sizes the array for the plan's main format and does).
///
/// Assumptions, each an estimate of the model rather than a measured figure:
/// - **One MAC array for every format.** A device's formats run on shared
///   multipliers and accumulators (a tensor core or systolic PE that
///   reconfigures from BF16 to FP8 to INT8), so the array is the largest of
///   `macsPerCycle(f) × (multiplier + accumulator area of f)` over the
///   executable formats. Real multi-format units cost more than the largest
///   single-format one (extra muxing and alignment), so this is a lower bound.
/// - **Scale units beside the array.** Native block-scale hardware (max
///   reduction, shared-exponent scaling, once per block) is likewise shared:
///   the largest such figure among the block formats the datapath scales natively.
/// - **On-chip memories** at 0.346 µm² per bit at 45 nm (Intel's 45 nm 6T
///   cell, Mistry et al., IEDM 2007) × 1.5 for periphery (estimate), node-scaled,
///   as in `Simulator.area(for:)`.
/// Vector units, control, interconnect and I/O are not modelled.
public struct DeviceArea: Sendable, Hashable {
    /// The shared MAC array, mm², and the format that sizes it.
    public var macArraySquareMillimetres: Double
    public var sizingFormat: NumberFormat?
    /// Native block-scale units, mm².
    public var scaleUnitsSquareMillimetres: Double
    /// Registers, SRAM and caches, mm².
    public var onChipMemorySquareMillimetres: Double

    public var totalSquareMillimetres: Double {
        macArraySquareMillimetres + scaleUnitsSquareMillimetres + onChipMemorySquareMillimetres
    }

    public init(_ hardware: HardwareModel) {
        let cost = DatapathCost(model: hardware)
        var array = 0.0
        var scale = 0.0
        var sizing: NumberFormat?
        for f in hardware.executableFormats {
            let macs = hardware.macsPerCycle(f) ?? 0
            var perMAC = 0.0
            var perScale = 0.0
            if cost.dotProductUnit(for: f) != nil {
                // A k-lane dot-product unit: its scale unit is part of it (`DatapathCost.perMAC`).
                perMAC = cost.perMAC(f).areaSquareMicrometres
            } else {
                for (unit, uses) in cost.macUnits(f) {
                    let a = cost.costModel.cost(of: unit, at: hardware.technology).areaSquareMicrometres * uses
                    if Self.isScaleUnit(unit) { perScale += a } else { perMAC += a }
                }
            }
            // Strictly larger: on a tie the format listed first sizes the array.
            if macs * perMAC * 1e-6 > array {
                array = macs * perMAC * 1e-6
                sizing = f
            }
            scale = max(scale, macs * perScale * 1e-6)
        }
        macArraySquareMillimetres = array
        sizingFormat = sizing
        scaleUnitsSquareMillimetres = scale
        onChipMemorySquareMillimetres = Self.onChipMemory(hardware)
    }

    /// The units `DatapathCost.macUnits` adds once per block for a natively scaled block format.
    static func isScaleUnit(_ unit: ArithmeticUnit) -> Bool {
        switch unit {
        case .maxReduction, .sharedExponentScale: return true
        default: return false
        }
    }

    /// On-chip memory area, mm² (see the type's assumptions).
    static func onChipMemory(_ hardware: HardwareModel) -> Double {
        let onChipBits = hardware.memory.filter { !$0.kind.isOffChip }.reduce(0) { $0 + $1.capacityBytes * 8 }
        return onChipBits * 0.346 * 1.5 * hardware.technology.areaFactor * 1e-6
    }
}

extension SimulationResult {
    /// The format that did most of the run's MACs (on a tie, the name first in
    /// code-point order); nil when no op is a matrix product.
    public var mainComputeFormat: NumberFormat? {
        var macs: [NumberFormat: Double] = [:]
        for op in ops where op.kind.isMatrixProduct { macs[op.computeFormat, default: 0] += op.macs }
        return macs.max { $0.value != $1.value ? $0.value < $1.value : $0.key.name > $1.key.name }?.key
    }

    /// The MAC array (with its scale units) a plan's main format uses at its
    /// peak rate on `hardware`, mm²: the part of the device's datapath this
    /// plan exercises, not the device's area.
    public func utilisedDatapathSquareMillimetres(on hardware: HardwareModel) -> Double {
        mainComputeFormat.map { DatapathCost(model: hardware).arrayAreaSquareMillimetres($0) } ?? 0
    }
}
