import Documents
import Formats
import Simulator
import Workload

/// Op results (and their numerics) written to a `SpillFile` as a streamed
/// simulation makes them and read back, in order, when its output is
/// written: the totals an output starts with are known only after the last
/// op. Every field is stored as its bits, so a result reads back equal to
/// the one written (`ResultSpoolTests`); memory holds one result at a time.
struct ResultSpool {
    let file: SpillFile
    /// Results written; the same number are read back.
    private(set) var count = 0
    /// The compute formats met so far (a handful per run): results store an index into it.
    private(set) var formats: [NumberFormat] = []
    private var lastFormat = -1

    init() throws { file = try SpillFile(purpose: "op results") }

    mutating func append(_ r: OpResult, _ figures: SimulationNumerics.Figures?) {
        count += 1
        let f = file
        f.append(r.name)
        f.append(r.kind.rawValue)
        if lastFormat < 0 || formats[lastFormat] != r.computeFormat {
            lastFormat = formats.firstIndex(of: r.computeFormat) ?? formats.count
            if lastFormat == formats.count { formats.append(r.computeFormat) }
        }
        f.append(Int64(lastFormat))
        f.append(Int64(r.repeatCount))
        f.append(Int64(r.assignment))
        for x in [r.macs, r.cycles, r.computeCycles, r.stallCycles, r.seconds, r.energy.compute, r.energy.onChipMemory,
                  r.energy.offChipMemory, r.energy.staticEnergy, r.offChipBytes, r.utilization] {
            f.append(x.bitPattern)
        }
        f.append(r.mapping.scheme)
        f.append(r.mapping.values)
        let flags = UInt8(r.bound == .memory ? 1 : 0) | (r.throttled ? 2 : 0) | (r.dequantized ? 4 : 0)
            | (r.access != nil ? 8 : 0) | (figures != nil ? 16 : 0) | (r.access?.ifmapReadsEstimated == true ? 32 : 0)
            | (r.bound == .latency ? 64 : 0)
        f.append(flags)
        if let a = r.access {
            for x in [a.sramIfmapReads, a.sramFilterReads, a.sramOfmapWrites, a.dramIfmapReads, a.dramFilterReads,
                      a.dramOfmapWrites, a.cyclesInclPrefetch] { f.append(x.bitPattern) }
        }
        if let figures {
            for x in [figures.weightQSNR, figures.outputQSNR, figures.overflowProbability] { f.append(x.bitPattern) }
        }
    }

    /// Ends writing; `next()` reads from the first result.
    func rewind() throws { try file.rewind() }

    /// The next result, in the order written (garbage-free zeros after an I/O
    /// error, which `check()` then reports).
    func next() -> (OpResult, SimulationNumerics.Figures?) {
        let f = file
        func double() -> Double { Double(bitPattern: f.read(UInt64.self)) }
        let name = f.readString(), kind = OpKind(rawValue: f.readString()) ?? .gemm
        let index = Int(f.read(Int64.self))
        // After an I/O error the read gives zeros, which `check()` then reports; any format will do until then.
        let format: NumberFormat = formats.indices.contains(index) ? formats[index] : (formats.first ?? "fp32")
        let repeatCount = Int(f.read(Int64.self)), assignment = Int(f.read(Int64.self))
        let macs = double(), cycles = double(), computeCycles = double(), stallCycles = double(), seconds = double()
        var energy = EnergyBreakdown()
        energy.compute = double(); energy.onChipMemory = double(); energy.offChipMemory = double()
        energy.staticEnergy = double()
        let offChipBytes = double(), utilization = double()
        var mapping = Mapping(scheme: f.read(UInt8.self))
        mapping.values = f.read(SIMD4<Int32>.self)
        let flags = f.read(UInt8.self)
        var r = OpResult(name, kind: kind, repeatCount: repeatCount, computeFormat: format, assignment: assignment,
                         macs: macs, cycles: cycles, computeCycles: computeCycles, stallCycles: stallCycles,
                         seconds: seconds, energy: energy, bound: flags & 64 != 0 ? .latency : flags & 1 != 0 ? .memory : .compute,
                         offChipBytes: offChipBytes, utilization: utilization, mapping: mapping,
                         throttled: flags & 2 != 0)
        r.dequantized = flags & 4 != 0
        if flags & 8 != 0 {
            var a = SystolicAccess()
            a.sramIfmapReads = double(); a.sramFilterReads = double(); a.sramOfmapWrites = double()
            a.dramIfmapReads = double(); a.dramFilterReads = double(); a.dramOfmapWrites = double()
            a.cyclesInclPrefetch = double()
            a.ifmapReadsEstimated = flags & 32 != 0
            r.access = a
        }
        var figures: SimulationNumerics.Figures?
        if flags & 16 != 0 {
            figures = .init(weightQSNR: double(), outputQSNR: double(), overflowProbability: double())
        }
        return (r, figures)
    }

    /// Throws the first I/O error of writing or reading.
    func check() throws { try file.check() }
}
