import Arithmetic
import Documents
import Formats
import Workload

extension HardwareLoader {
    /// Decodes a resolved document into a model and runs the semantic checks.
    static func decode(_ root: YAMLValue, file: String, families: FamilyRegistry) throws -> HardwareModel {
        let top = try root.mapping(allowedKeys: HardwareSchema.top + families.names)
        let name = try top.required("name").name()
        let familyValue = try top.required("family")
        let familyName = try familyValue.string()
        guard let family = families.family(named: familyName) else {
            throw familyValue.error(
                "unknown value '\(familyName)'; expected one of \(families.names.joined(separator: ", "))")
        }
        for other in families.names where other != familyName {
            if let stray = top[other] {
                throw stray.error("a '\(familyName)' device cannot have a '\(other)' section")
            }
        }
        let technologyMap = try top.required("technology").mapping(allowedKeys: HardwareSchema.technology)
        let nodeMetres = try technologyMap.required("node").quantity(.length)
        let nodeNm = (nodeMetres * 1e12).rounded() / 1000   // nm, to the picometre
        guard (1...1000).contains(nodeNm) else { throw try technologyMap.required("node").error("must be 1…1000 nm") }
        var voltage: Double?
        if let v = technologyMap["voltage"] {
            voltage = try v.quantity(.voltage)
            guard (0.3...2).contains(voltage!) else { throw v.error("must be 0.3…2 V") }
        }
        let clockValue = try top.required("clock")
        let clock = try clockValue.quantity(.frequency)
        guard clock <= 100e9 else { throw clockValue.error("a clock above 100 GHz is not plausible") }
        var tdp: Double?, staticPower = 0.0, macOverhead = 0.0
        if let powerValue = top["power"] {
            let power = try powerValue.mapping(allowedKeys: HardwareSchema.power)
            tdp = try power["tdp"]?.quantity(.power)
            staticPower = try power["static"]?.quantity(.power, allowZero: true) ?? 0
            macOverhead = (try power["mac_overhead"]?.quantity(.energy, allowZero: true) ?? 0) * 1e12
            // The cap leaves tdp − static for the datapath; with none left the simulator could not
            // hold an op to it and would run every op uncapped, so the pair is refused here.
            if let tdp, let tdpValue = power["tdp"], staticPower >= tdp {
                throw tdpValue.error("the TDP (\(tdp) W) must exceed the static power (power.static, "
                                     + "\(staticPower) W): nothing would be left for the datapath")
            }
        }
        let memory = try decodeMemory(try top.required("memory"))
        let datapathValue = try top.required("datapath")
        let datapath = try decodeDatapath(datapathValue)
        let sectionValue = try top.required(familyName)
        let spec = try family.decode(sectionValue, datapath: datapath)
        var model = HardwareModel(
            name: name, source: try top["source"]?.string(),
            technology: Technology(nodeNanometres: nodeNm, voltage: voltage), clockHertz: clock,
            tdpWatts: tdp, staticWatts: staticPower, memory: memory, datapath: datapath, spec: spec,
            warnings: [], file: file)
        model.macOverheadPicojoules = macOverhead
        try check(&model, datapath: datapathValue, section: sectionValue, memoryValue: try top.required("memory"))
        return model
    }

    static func decodeMemory(_ value: YAMLValue) throws -> [MemoryLevel] {
        let items = try value.sequence()
        guard !items.isEmpty else {
            throw value.error("at least one memory level is needed "
                              + "(and one off-chip: hbm, dram, ddr, gddr6, gddr6x, gddr7 or lpddr5)")
        }
        return try items.map { item in
            let m = try item.mapping(allowedKeys: HardwareSchema.memoryLevel)
            let holds = try m["holds"].map { try $0.sequence().map { try $0.choice(OperandRole.self) } }
                ?? OperandRole.allCases
            var level = MemoryLevel(
                name: try m.required("name").name(), kind: try m.required("kind").choice(MemoryLevel.Kind.self),
                capacityBytes: try m.required("capacity").quantity(.bytes),
                bandwidthBytesPerSecond: try m.required("bandwidth").quantity(.bandwidth),
                energyPerByteJoules: try m.required("energy_per_byte").quantity(.energyPerByte, allowZero: true),
                holds: holds)
            if let achievable = m["achievable"] {
                level.achievableFraction = try achievable.number()
                guard level.achievableFraction <= 1 else { throw achievable.error("must be a fraction in (0, 1]") }
            }
            return level
        }
    }

    static func format(_ value: YAMLValue) throws -> NumberFormat {
        let name = try value.string()
        do throws(FormatError) { return try FormatCatalog.format(named: name) } catch {
            throw value.error(error.description)
        }
    }

    static func decodeDatapath(_ value: YAMLValue) throws -> Datapath {
        let d = try value.mapping(allowedKeys: HardwareSchema.datapath)
        let formatsValue = try d.required("formats")
        let formats = try formatsValue.sequence().map(format)
        guard !formats.isEmpty else { throw formatsValue.error("list at least one format the datapath executes") }
        let multiplier = try d["multiplier"]?.choice(Datapath.MultiplierKind.self) ?? .exact
        let accValue = try d.required("accumulator")
        let acc = try accValue.mapping(allowedKeys: HardwareSchema.accumulator)
        let kind = try acc.required("kind").string()
        let accumulator: Datapath.AccumulatorSpec
        switch kind {
        case "int":
            for key in ["format", "kept_bits"] where acc[key] != nil {
                throw acc[key]!.error("'\(key)' applies to kind: fp only")
            }
            let overflow = try acc["overflow"]?.string() ?? "wrap"
            guard overflow == "wrap" || overflow == "saturate" else {
                throw acc["overflow"]!.error("expected wrap or saturate, got '\(overflow)'")
            }
            accumulator = .integer(bits: try acc.required("bits").int(in: 2...64), saturating: overflow == "saturate")
        case "fp":
            for key in ["bits", "overflow"] where acc[key] != nil {
                throw acc[key]!.error("'\(key)' applies to kind: int only")
            }
            let formatValue = try acc.required("format")
            guard case .scalar(.minifloat(let f)) = try format(formatValue) else {
                throw formatValue.error("a floating-point accumulator needs a float format such as fp32")
            }
            accumulator = .float(f, keptBits: try acc["kept_bits"]?.int(in: 2...64))
        default:
            throw try acc.required("kind").error("expected int or fp, got '\(kind)'")
        }
        let blockScale = try (d["block_scale"]?.sequence() ?? []).map { item -> BlockFormat in
            guard case .block(let b) = try format(item) else {
                throw item.error("'\(try item.string())' is not a block-scaled format")
            }
            return b
        }
        var overrides: [ArithmeticUnit: UnitCost] = [:]
        for item in try d["cost_overrides"]?.sequence() ?? [] {
            let o = try item.mapping(allowedKeys: HardwareSchema.costOverride)
            let unit = try overrideUnit(o)
            overrides[unit] = UnitCost(energyPicojoules: try o.required("energy").quantity(.energy) * 1e12,
                                       areaSquareMicrometres: try o.required("area").quantity(.area) * 1e12,
                                       delayNanoseconds: try o.required("delay").quantity(.time) * 1e9)
        }
        return Datapath(formats: formats, multiplier: multiplier, accumulator: accumulator,
                        promotionInterval: try acc["promotion_interval"]?.int(in: 1...1 << 30),
                        blockScale: blockScale, costOverrides: overrides,
                        dotProductLanes: try d["dot_product_lanes"]?.int(in: 1...4096))
    }

    /// `unit: multiplier|lmul|adder|accumulator` with `format:` picks the unit overridden.
    static func overrideUnit(_ o: YAMLMapping) throws -> ArithmeticUnit {
        let unitValue = try o.required("unit")
        let unitName = try unitValue.string()
        let formatValue = try o.required("format")
        let element = try format(formatValue).elementFormat
        switch (unitName, element) {
        case ("multiplier", .minifloat(let f)):
            return .floatMultiplier(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits)
        case ("multiplier", .integer(let i)): return .integerMultiplier(bits: i.bitWidth, by: i.bitWidth)
        case ("lmul", .minifloat(let f)): return .lmul(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits)
        case ("adder", .minifloat(let f)), ("accumulator", .minifloat(let f)):
            return unitName == "adder" ? .floatAdder(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits)
                : .floatAccumulator(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits)
        case ("adder", .integer(let i)): return .integerAdder(bits: i.bitWidth)
        case ("accumulator", .integer(let i)): return .integerAccumulator(bits: i.bitWidth)
        case ("lmul", _): throw formatValue.error("L-Mul needs a floating-point format")
        default: throw unitValue.error("unknown unit '\(unitName)'; expected multiplier, lmul, adder or accumulator")
        }
    }

    /// A per-format rate table, `{fp8_e4m3: 1024, bf16: {macs: 512, source: ...}}`,
    /// with canonical format names (for family sections).
    public static func rates(_ value: YAMLValue) throws -> [FormatRate] {
        let m = try value.mapping()
        guard !m.entries.isEmpty else { throw value.error("list at least one format with its MAC rate") }
        return try m.values.map { key, v in
            if case .mapping = v.node {
                let r = try v.mapping(allowedKeys: HardwareSchema.rate)
                return FormatRate(format: try canonical(key, at: v), macs: try r.required("macs").number(),
                                  source: try r["source"]?.string())
            }
            return FormatRate(format: try canonical(key, at: v), macs: try v.number(), source: nil)
        }
    }

    public static func canonical(_ name: String, at value: YAMLValue) throws -> NumberFormat {
        do throws(FormatError) { return try FormatCatalog.format(named: name) } catch {
            throw value.error(error.description)
        }
    }
}
