import Formats
import Hardware

extension Simulator {
    /// The MAC array sized for the format that did most of the work, plus
    /// on-chip memories at 0.346 µm² per bit at 45 nm (Intel's 45 nm 6T cell,
    /// Mistry et al., IEDM 2007) × 1.5 for periphery (estimate), node-scaled.
    func area(for results: [OpResult]) -> Double {
        var totals = SimulationTotals()
        for r in results where r.kind.isMatrixProduct { totals.add(r) }
        return area(for: totals)
    }

    /// The same, from a streamed run's totals (its MACs per compute format).
    func area(for totals: SimulationTotals) -> Double {
        let formats = totals.computeFormats, macs = totals.computeMACs
        // Most MACs; on a tie, the name first in code-point order.
        let main = zip(formats, macs).max { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.name > $1.0.name }?.0
        let array = main.map { cost.arrayAreaSquareMillimetres($0) } ?? 0
        return array + DeviceArea.onChipMemory(hardware)
    }
}
