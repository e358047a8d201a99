import Documents
import Hardware

/// Folds a dataflow design onto an FPGA: the search FINN's `SetFolding`
/// transformation does (Xilinx/finn `transformation/fpgadataflow/set_folding.py`),
/// for a target rate or for the highest rate the device's LUT, FF, DSP,
/// BRAM and URAM budgets allow.
///
/// Each unit's foldings are the divisor pairs PE | MH, SIMD | MW (FINN's
/// constraint; behind a sliding window SIMD | C, the input channels), each
/// with every multiplier style the layer's formats allow.
/// For an initiation interval T, every unit takes its cheapest folding
/// that runs in at most T cycles, cost being its share of each budget;
/// where the sum overruns a budget, that budget's weight is raised and the
/// choice made again. The highest rate is the least T that fits (a binary
/// search over the units' achievable cycle counts), then a scan of slower
/// T where streamed weights make the rate bandwidth-bound. Weights go to
/// distributed RAM when shallow, else BRAM, spilling the largest to URAM
/// and then to off-chip memory when the block RAM runs out.
public struct DataflowPlanner: Sendable {
    public let spec: FPGAFamily
    public let clockHertz: Double
    public let offChipBytesPerSecond: Double
    public let budget: FPGAUsage
    /// Whether sliding windows may emit several pixels' channels at once
    /// (FINN's RTL `ConvolutionInputGenerator` `parallel_window`, which lets the
    /// unit behind it take SIMD beyond the input channels, up to R·S·C).
    /// FINN 2017's HLS window unit cannot: SIMD then divides C.
    public var parallelWindow = true
    /// What the design reads in and writes out per inference; with the
    /// device's `io_dma_bits`, the DMA engines that move it are stages of the
    /// pipeline (FINN's `IODMA`). nil: the I/O is not modelled.
    public var transfer: DataflowTransfer?

    /// The DMA engines' cycles per inference (0 without a transfer or an `io_dma_bits`).
    var dmaCycles: (input: Int, output: Int) {
        guard let transfer, let width = spec.ioDMABits else { return (0, 0) }
        return (DataflowTransfer.dmaCycles(bits: transfer.inputBits, maxWidth: width),
                DataflowTransfer.dmaCycles(bits: transfer.outputBits, maxWidth: width))
    }

    /// One folding of one unit, its usage with its weights on chip.
    struct Candidate {
        var pe: Int, simd: Int, style: MultiplierStyle, store: WeightStore, cycles: Int, usage: FPGAUsage
    }

    public init(hardware: HardwareModel) throws {
        guard let spec = hardware.spec as? FPGAFamily else {
            throw Diagnostic(file: hardware.file, message: "a dataflow design needs an fpga device; "
                             + "'\(hardware.name)' is a \(hardware.family) device")
        }
        self.spec = spec
        clockHertz = hardware.clockHertz
        offChipBytesPerSecond = hardware.offChip.map { $0.bandwidthBytesPerSecond * $0.achievableFraction } ?? 0
        budget = FPGAUsage(luts: spec.luts, flipFlops: spec.flipFlops, dsps: spec.dsps, bram18: 2 * spec.bram36k,
                           uram: spec.uram)
    }

    /// The DSP packing (MACs per slice per cycle) for a layer's compute
    /// format, the wider of its two operand formats.
    func packing(_ layer: DataflowLayer) -> Double? {
        let compute = layer.weight.bitsPerElement >= layer.input.bitsPerElement ? layer.weight : layer.input
        return spec.dspPacking.first { $0.format == compute }?.macs
    }

    func styles(_ layer: DataflowLayer) -> [MultiplierStyle] {
        if layer.isBinary { return [.xnor] }
        return packing(layer) != nil ? [.dsp, .lut] : [.lut]
    }

    static func divisors(_ n: Int) -> [Int] {
        var small: [Int] = [], large: [Int] = []
        var d = 1
        while d * d <= n {
            if n % d == 0 {
                small.append(d)
                if d * d != n { large.append(n / d) }
            }
            d += 1
        }
        return small + large.reversed()
    }

    func unit(_ layer: DataflowLayer, pe: Int, simd: Int, style: MultiplierStyle, store: WeightStore? = nil)
        -> DataflowDesign.Unit {
        let depth = UnitResources.memoryShape(layer, pe: pe, simd: simd).depth
        let store = store ?? (depth <= UnitResources.lutramMaxDepth ? .lutram : .bram)
        let usage = UnitResources.estimate(layer, pe: pe, simd: simd, style: style, store: store,
                                           dspType: spec.dspType, packing: packing(layer) ?? 1)
        return DataflowDesign.Unit(layer: layer, pe: pe, simd: simd, style: style, store: store,
                                   cycles: layer.cycles(pe: pe, simd: simd), usage: usage)
    }

    /// Every folding of a layer, fastest last.
    func candidates(_ layer: DataflowLayer) -> [Candidate] {
        var out: [Candidate] = []
        for style in styles(layer) {
            for pe in Self.divisors(layer.rows) {
                for simd in simdChoices(layer) {
                    let u = unit(layer, pe: pe, simd: simd, style: style)
                    out.append(Candidate(pe: pe, simd: simd, style: style, store: u.store, cycles: u.cycles,
                                         usage: u.usage))
                }
            }
        }
        return out.sorted { $0.cycles > $1.cycles }
    }

    /// SIMD values a unit may take: divisors of MW; behind a sliding window,
    /// divisors of the input channels C (FINN's SetFolding folds the window
    /// unit's SIMD up to IFMChannels and the MVAU's to match), and with
    /// `parallelWindow` also multiples of C that divide MW (whole pixels).
    func simdChoices(_ layer: DataflowLayer) -> [Int] {
        guard let c = layer.window?.channels else { return Self.divisors(layer.columns) }
        let within = Self.divisors(c)
        guard parallelWindow else { return within }
        return within + Self.divisors(layer.columns).filter { $0 > c && $0 % c == 0 }
    }

    /// A design from given foldings (a FINN folding configuration).
    ///
    /// - Throws: `Diagnostic` naming the resource when the design does not fit.
    public func design(_ layers: [DataflowLayer], foldings: [(pe: Int, simd: Int, style: MultiplierStyle?)],
                       file: String = "") throws -> DataflowDesign {
        precondition(layers.count == foldings.count)
        let units = zip(layers, foldings).map { layer, f in
            unit(layer, pe: f.pe, simd: f.simd, style: f.style ?? styles(layer)[0])
        }
        let design = place(units)
        if let over = design.total.overrun(of: budget) {
            throw Diagnostic(file: file, message: "the design needs \(over.used) \(over.resource) but the device "
                             + "has \(over.available); it cannot be built")
        }
        return design
    }

    /// Places the weights: BRAM overflow moves the largest memories to URAM,
    /// then off-chip (streamed per inference) when a memory level allows it.
    func place(_ units: [DataflowDesign.Unit]) -> DataflowDesign {
        var units = units
        var total = units.reduce(FPGAUsage()) { $0 + $1.usage }
        if total.bram18 > budget.bram18 {
            let order = units.indices.filter { units[$0].store == .bram }.sorted {
                (units[$0].usage.bram18, $1) > (units[$1].usage.bram18, $0)
            }
            for i in order where total.bram18 > budget.bram18 {
                let moved = unit(units[i].layer, pe: units[i].pe, simd: units[i].simd, style: units[i].style,
                                 store: .uram)
                if total.uram + moved.usage.uram <= budget.uram {
                    total = total + FPGAUsage(luts: moved.usage.luts - units[i].usage.luts,
                                              bram18: moved.usage.bram18 - units[i].usage.bram18,
                                              uram: moved.usage.uram)
                    units[i] = moved
                }
            }
            if offChipBytesPerSecond > 0 {
                for i in order where total.bram18 > budget.bram18 && units[i].store == .bram {
                    let moved = unit(units[i].layer, pe: units[i].pe, simd: units[i].simd, style: units[i].style,
                                     store: .ddr)
                    total.bram18 += moved.usage.bram18 - units[i].usage.bram18
                    units[i] = moved
                }
            }
        }
        var design = DataflowDesign(units: units, clockHertz: clockHertz,
                                    offChipBytesPerSecond: offChipBytesPerSecond, budget: budget)
        if let transfer, spec.ioDMABits != nil {
            let cycles = dmaCycles
            design.inputDMACycles = cycles.input
            design.outputDMACycles = cycles.output
            let bytes: Int = (transfer.inputBits + 7) / 8 + (transfer.outputBits + 7) / 8
            design.dmaBytesPerInference = Double(bytes)
        }
        return design
    }
}
