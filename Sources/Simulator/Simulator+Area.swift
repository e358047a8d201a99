import Formats
import Hardware

extension Simulator {
    /// The MAC array sized for the format that did most of the work, plus
    /// on-chip memories at 0.346 µm² per bit at 45 nm (Intel's 45 nm 6T cell,
    /// Mistry et al., IEDM 2007) × 1.5 for periphery (estimate), node-scaled.
    func area(for results: [OpResult]) -> Double {
        // A handful of compute formats per run: parallel arrays and a linear
        // scan, no hashing, and fields read in place rather than results copied.
        var formats: [NumberFormat] = [], macs: [Double] = []
        var last = -1
        for i in results.indices where results[i].kind.isMatrixProduct {
            if last < 0 || formats[last] != results[i].computeFormat {
                last = formats.firstIndex(of: results[i].computeFormat) ?? -1
                if last < 0 { formats.append(results[i].computeFormat); macs.append(0); last = formats.count - 1 }
            }
            macs[last] += results[i].macs
        }
        // Most MACs; on a tie, the name first in code-point order.
        let main = zip(formats, macs).max { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.name > $1.0.name }?.0
        let array = main.map { cost.arrayAreaSquareMillimetres($0) } ?? 0
        return array + DeviceArea.onChipMemory(hardware)
    }
}
