import Arithmetic
import ArgumentParser
import Formats

/// `lpsim units`: the cost of the datapath units for a format at a node.
struct UnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Print area, energy and delay of the MAC building blocks for a format at a technology node.",
        discussion: """
            Costs come from lpsim's cell model, calibrated at 45 nm on Horowitz (ISSCC 2014) \
            energies and Hennessy & Patterson areas, and scaled by Stillmaker & Baas (2017). \
            Block formats (or any format with --lanes K) also show the per-MAC parts of the \
            K-lane dot-product unit that describe, simulate and compare price a MAC as \
            (arXiv 2510.25602 App. C, lane weights fitted to its Table 5), with an FP32 accumulator.
            """
    )

    @Option(help: "The format's name (see 'lpsim formats').")
    var format: String

    @Option(help: "Technology node in nm.")
    var node: Double = 45

    @Option(help: "Supply voltage in V (default: the node's nominal).")
    var voltage: Double?

    @Option(help: "Clock in GHz, for pipeline depth.")
    var clockGhz: Double = 1

    @Option(help: "Lanes of the dot-product unit (default: the block size of a block format).")
    var lanes: Int?

    @Option(help: "Multiplier of the dot-product unit: exact or lmul.")
    var multiplier = "exact"

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let target = try lookUpFormat(format)
            guard node.isFinite, (1...1000).contains(node) else {
                throw CommandLineError(message: "--node must be 1…1000 nm, got \(node)")
            }
            if let v = voltage, !(v.isFinite && (0.3...2).contains(v)) {
                throw CommandLineError(message: "--voltage must be 0.3…2 V, got \(v)")
            }
            // The YAML clock's bound (100 GHz): a pipeline depth at 1e20 GHz does not fit an Int.
            guard clockGhz.isFinite, clockGhz > 0, clockGhz <= 100 else {
                throw CommandLineError(message: "--clock-ghz must be a finite number in (0, 100], got \(clockGhz)")
            }
            let technology = Technology(nodeNanometres: node, voltage: voltage)
            let model = CellCostModel()
            let units = Self.units(for: target)
            let costs = units.map { ($0, model.cost(of: $0, at: technology)) }
            if let l = lanes, !(1...4096).contains(l) { throw CommandLineError(message: "--lanes must be 1…4096, got \(l)") }
            guard multiplier == "exact" || multiplier == "lmul" else {
                throw CommandLineError(message: "unknown multiplier '\(multiplier)': expected exact or lmul")
            }
            let unit = Self.dotProductUnit(for: target, lanes: lanes, lmul: multiplier == "lmul")
            let parts = unit?.perMACParts(costModel: model, at: technology) ?? []
            let perMAC = unit?.perMAC(costModel: model, at: technology)
            if json {
                print(JSON.object([
                    ("format", .string(target.name)), ("node_nm", .number(node)), ("voltage_v", .number(technology.voltage)),
                    ("scaling", .string(technology.provenance.rawValue)),
                    ("units", .array(costs.map { unit, c in
                        .object([("unit", .string(unit.description)), ("energy_pj", .number(c.energyPicojoules)),
                                 ("area_um2", .number(c.areaSquareMicrometres)), ("delay_ns", .number(c.delayNanoseconds)),
                                 ("pipeline_stages", .number(Double(c.pipelineStages(atClockHertz: clockGhz * 1e9))))])
                    })),
                    ("dot_product_unit", unit.map { u in
                        .object([("unit", .string(u.description)), ("lanes", .number(Double(u.lanes))),
                                 ("tree_width_bits", u.treeWidth.map { .number(Double($0)) } ?? .null),
                                 ("mac_energy_pj", .number(perMAC?.energyPicojoules ?? 0)),
                                 ("mac_area_um2", .number(perMAC?.areaSquareMicrometres ?? 0)),
                                 ("parts", .array(parts.map { name, c in
                                     .object([("part", .string(name)), ("energy_pj", .number(c.energyPicojoules)),
                                              ("area_um2", .number(c.areaSquareMicrometres))])
                                 }))])
                    } ?? .null),
                ]).rendered())
                return
            }
            print("\(target.name) datapath units at \(technology) (\(technology.provenance.rawValue) scaling), \(clockGhz.compactString) GHz")
            print(TextTable(header: ["unit", "energy (pJ)", "area (µm²)", "delay (ns)", "stages"], rows: costs.map { unit, c in
                [unit.description, String(sci: c.energyPicojoules), String(sci: c.areaSquareMicrometres),
                 String(sci: c.delayNanoseconds), String(c.pipelineStages(atClockHertz: clockGhz * 1e9))]
            }).rendered())
            if let unit, let perMAC {
                let width = unit.treeWidth.map { ", aligned products truncated to \($0) bits" } ?? ", exact integer tree"
                print("\nper MAC as part of one \(unit)\(width) (FP32 accumulator):")
                print(TextTable(header: ["part", "energy (pJ)", "area (µm²)"], rows: parts.map { name, c in
                    [name, String(sci: c.energyPicojoules), String(sci: c.areaSquareMicrometres)]
                } + [["one MAC", String(sci: perMAC.energyPicojoules), String(sci: perMAC.areaSquareMicrometres)]]).rendered())
            }
        }
    }

    /// The dot-product unit `describe` prices a MAC of this format as, on a
    /// datapath with an FP32 accumulator; nil for a scalar format without `lanes`.
    static func dotProductUnit(for format: NumberFormat, lanes: Int?, lmul: Bool) -> DotProductUnit? {
        var scale = DotProductUnit.BlockScale.none, size = 1
        if case .block(let b) = format {
            size = b.blockSize
            if b.rule == .absMax, case .minifloat(let s) = b.scale {
                scale = .float(exponentBits: s.exponentBits, mantissaBits: s.mantissaBits)
            } else { scale = .powerOfTwo }
        }
        guard let k = lanes ?? (size > 1 ? size : nil) else { return nil }
        let operand: DotProductUnit.Operand
        switch format.elementFormat {
        case .integer(let i): operand = .integer(bits: i.bitWidth)
        case .minifloat(let f): operand = .float(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits, lmul: lmul)
        }
        return DotProductUnit(lanes: k, operand: operand, blockScale: scale, blockSize: size)
    }

    /// The units a MAC datapath for this format is built from.
    static func units(for format: NumberFormat) -> [ArithmeticUnit] {
        var units: [ArithmeticUnit] = []
        switch format.elementFormat {
        case .minifloat(let f):
            let e = f.exponentBits, m = f.mantissaBits
            units += [.floatMultiplier(exponentBits: e, mantissaBits: m), .lmul(exponentBits: e, mantissaBits: m),
                      .floatAdder(exponentBits: e, mantissaBits: m), .converter(exponentBits: e, mantissaBits: m)]
        case .integer(let i):
            let n = i.bitWidth
            units += [.integerMultiplier(bits: n, by: n), .integerAdder(bits: n), .converter(exponentBits: 0, mantissaBits: n)]
            if i.kind == .bipolar || n <= 8 {
                units += [.binaryDotProduct(lanes: 128), .shiftAddRecombination(weightBits: n, activationBits: n, partialBits: 8)]
            }
            units.append(.dyadicRequantizer(bits: 32, multiplierBits: 32))
        }
        units += [.integerAccumulator(bits: 32), .floatAccumulator(exponentBits: 8, mantissaBits: 23)]
        if case .block(let b) = format {
            units += [.maxReduction(inputs: b.blockSize, bits: b.element.bitWidth)]
            if b.rule == .sharedExponent {
                units += [.sharedExponentScale(exponentBits: 8), .powerOfTwoRescale(exponentBits: 8)]
            } else if case .minifloat(let s) = b.scale {
                units += [.floatMultiplier(exponentBits: s.exponentBits, mantissaBits: s.mantissaBits)]
            }
        }
        return units
    }
}
