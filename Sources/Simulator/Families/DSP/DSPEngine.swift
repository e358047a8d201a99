import Formats
import Foundation
import Hardware
import Workload

/// Matrix products on a VLIW vector DSP: vector MACs (or dot-product
/// instructions) issued in packets beside their loads and loop bookkeeping,
/// operands brought into the tightly coupled memory by DMA, double-buffered.
struct DSPEngine: FamilyEngine {
    let spec: DSPFamily
    let device: DeviceFigures
    /// Bytes of the tightly coupled memory (the first `tcm` level), or nil.
    let tcmBytes: Double?
    /// DMA bandwidth in bytes per cycle: the DMA engine's, capped by the off-chip level's.
    let dmaBytesPerCycle: Double
    /// Formats the vector unit executes; the others run on the scalar core.
    let vectorFormats: [NumberFormat]
    /// Core cycles in which a vector context can issue a packet: its thread's
    /// packet rate over the core clock (1 without `thread_clock`).
    let threadShare: Double

    init(spec: DSPFamily, device: DeviceFigures) {
        self.spec = spec
        self.device = device
        let hardware = device.hardware
        tcmBytes = hardware.memory.first { $0.kind == .tcm }?.capacityBytes
        let dma = spec.dmaBytesPerSecond.map { $0 / hardware.clockHertz } ?? .infinity
        dmaBytesPerCycle = min(dma, device.offChipBytesPerCycle)
        vectorFormats = spec.dotProducts.map(\.format) + spec.macsPerLanePerCycle.map(\.format)
        threadShare = spec.threadClockHertz.map { min(1, $0 / hardware.clockHertz) } ?? 1
    }

    /// Instructions one vector MAC of an inner loop issues, by class: the MAC
    /// itself (multiply), one vector load of the streaming operand (the other
    /// stays in registers) and, per four unrolled MACs, two pointer updates
    /// and a loop count (ALU). An estimate of a hand-scheduled HVX inner loop.
    static let multipliesPerVectorMAC = 1.0, loadsPerVectorMAC = 1.0, aluOpsPerVectorMAC = 0.75
    static let slotsPerVectorMAC = multipliesPerVectorMAC + loadsPerVectorMAC + aluOpsPerVectorMAC

    /// Vector MACs a packet sustains. Without slot classes: 1 when the slots
    /// hold a MAC and its companions, fewer when they do not. With them,
    /// each class bounds the rate by its slots over its instructions per MAC,
    /// and the packet's width by the total; two multiply slots issue two MACs.
    var issueRate: Double {
        let total = Double(spec.vliwSlots) / Self.slotsPerVectorMAC
        guard let c = spec.slotClasses else { return min(1, total) }
        return min(Double(c.multiply) / Self.multipliesPerVectorMAC, Double(c.loadStore) / Self.loadsPerVectorMAC,
                   Double(c.alu) / Self.aluOpsPerVectorMAC, total)
    }

    func matrix(_ work: MatrixWork) -> Timing {
        let v = work.view
        let macs = Double(v.groups) * Double(v.m) * Double(v.n) * Double(v.k)
        // The scalar core's rate is per cycle as the file states it; the vector unit's is per issued MAC,
        // and each context issues only in its thread's share of the core cycles.
        let scalar = work.format.map { !vectorFormats.contains($0) } ?? false
        let compute = macs / work.macsPerCycle / (scalar ? 1 : issueRate * threadShare)
        let unique = work.weightBytes + work.inputBytes + work.outputBytes
        guard let tcm = tcmBytes else {
            return device.overlap(compute: compute, offChip: unique, onChip: unique * 2,
                                  mapping: Mapping(scheme: 4, scalar ? 1 : 0, 1))
        }
        // Double buffering: half the TCM holds the weight tile being used while the
        // DMA fills the other half; the inputs stream past each weight tile once.
        let half = tcm / 2
        let tiles = max(1, (work.weightBytes / half).rounded(.up))
        let offChip = work.weightBytes + work.inputBytes * tiles + work.outputBytes
        let dma = offChip / dmaBytesPerCycle
        // The first tile arrives before any compute can start: not overlapped.
        let fill = min(half, offChip) / dmaBytesPerCycle
        return Timing(computeCycles: compute, memoryCycles: dma + fill, cycles: max(compute, dma) + fill,
                      offChipBytes: offChip, onChipBytes: offChip * 2, overheadSeconds: 0,
                      mapping: Mapping(scheme: 4, scalar ? 1 : 0, Int(tiles)))
    }

    /// Non-MAC vector work issues from the same contexts, so it shares their
    /// thread's share of the core cycles; nil (the family's rate) without a thread clock.
    func vectorOpsPerCycle(_ kind: OpKind, bits: Double, isInteger: Bool) -> Double? { sideWorkOpsPerCycle }

    /// A matrix product's side work (promotion, software block scales) issues from the same contexts too.
    var sideWorkOpsPerCycle: Double? { threadShare < 1 ? spec.vectorOpsPerCycle * threadShare : nil }

    func describe(_ mapping: Mapping) -> String {
        let unit = mapping.values[0] == 1 ? "scalar" : "vector"
        let tiles = Int(mapping.values[1])
        return tiles > 1 ? "\(unit), \(tiles) weight tiles through TCM" : unit
    }
}
