import Arithmetic
import Documents
import Formats

extension HardwareLoader {
    /// Semantic checks: what the decoder cannot see in one node at a time.
    static func check(_ model: inout HardwareModel, datapath: YAMLValue, section: YAMLValue,
                      memoryValue: YAMLValue) throws {
        guard model.memory.contains(where: { $0.kind.isOffChip }) else {
            throw memoryValue.error("no off-chip level: add one of kind hbm, dram, ddr, gddr6, gddr6x, gddr7 or lpddr5")
        }
        try model.spec.check(&model, section: section, datapath: datapath)
        let d = try datapath.mapping()
        let formatsValue = try d.required("formats")
        let listed = model.datapath.formats.map(\.name)
        let rated = model.executableFormats
        for (index, format) in model.datapath.formats.enumerated() where !rated.contains(format) {
            throw try formatsValue.sequence()[index].error(
                "the datapath lists '\(format.name)' but the \(model.family) section gives it no MAC rate; "
                + "add it there or remove it here")
        }
        let rateKey = type(of: model.spec).rateKey
        let rates = try rateKey.map { try section.mapping().required($0) }
        for (key, value) in try rates?.mapping().values ?? [] {
            let name = (try? FormatCatalog.format(named: key).name) ?? key
            if !listed.contains(name) {
                throw value.error("'\(key)' has a MAC rate but is not in datapath.formats, "
                                  + "which lists \(listed.joined(separator: ", "))")
            }
        }
        if model.datapath.multiplier == .lmul {
            for (index, format) in model.datapath.formats.enumerated() {
                guard case .minifloat = format.elementFormat else {
                    throw try formatsValue.sequence()[index].error(
                        "an L-Mul datapath executes floating-point formats only; '\(format.name)' is not one")
                }
            }
        }
        let family = type(of: model.spec)
        if !family.multipliers.contains(model.datapath.multiplier) {
            throw try d.required("multiplier").error(
                "a \(model.family) device cannot build a '\(model.datapath.multiplier.rawValue)' multiplier; expected "
                + family.multipliers.map(\.rawValue).joined(separator: " or "))
        }
        for (index, block) in model.datapath.blockScale.enumerated() where !listed.contains(block.name) {
            throw try d.required("block_scale").sequence()[index].error(
                "'\(block.name)' has native scale handling but is not in datapath.formats")
        }
        if case .integer(let bits, _) = model.datapath.accumulator {
            for format in model.datapath.formats {
                guard case .integer(let i) = format.elementFormat else { continue }
                let needed = Accumulator.integerBitsNeeded(operandBits: i.bitWidth, by: i.bitWidth, products: 4096)
                if bits < needed {
                    model.warnings.append(
                        "\(datapath.sourceFile): warning: datapath.accumulator.bits: \(bits) bits can overflow "
                        + "on K = 4096 products of \(format.name) operands (AM004 needs \(needed))")
                }
            }
        }
    }
}
