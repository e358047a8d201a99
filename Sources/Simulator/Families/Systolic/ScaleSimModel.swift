import Hardware
import Workload

/// A layer as SCALE-Sim sees it: an M × K operand (`ifmap`, im2col-unrolled
/// for a convolution) times K × N (`filter`), giving M × N (`ofmap`).
///
/// `conv` keeps the convolution's raw shape, which SCALE-Sim's DRAM
/// counts need: its ifmap operand matrix repeats input pixels across
/// overlapping windows (`operand_matrix.calc_ifmap_elem_addr`), so the
/// distinct words it fetches are fewer than M × K.
public struct ScaleSimLayer: Sendable, Hashable {
    public struct Convolution: Sendable, Hashable {
        public var h: Int, w: Int, r: Int, s: Int, c: Int, stride: Int
        /// Output rows and columns: SCALE-Sim's ⌈(H − R)/S⌉ + 1 unless given (an lpsim op without `ceil_mode`).
        public var p: Int, q: Int
        public init(h: Int, w: Int, r: Int, s: Int, c: Int, stride: Int, p: Int? = nil, q: Int? = nil) {
            (self.h, self.w, self.r, self.s, self.c, self.stride) = (h, w, r, s, c, stride)
            self.p = p ?? (h - r + stride - 1) / stride + 1
            self.q = q ?? (w - s + stride - 1) / stride + 1
        }
    }
    public var m: Int, n: Int, k: Int
    public var conv: Convolution?
    /// The filter's N:M structured sparsity (nil when dense; SCALE-Sim's topology column).
    public var sparsity: StructuredSparsity?

    public init(m: Int, n: Int, k: Int, conv: Convolution? = nil) {
        (self.m, self.n, self.k, self.conv) = (m, n, k, conv)
    }

    /// A convolution in SCALE-Sim's form (the ifmap already padded; a
    /// partial last window counted, `topology_utils.topo_calc_hyperparams`).
    public init(convolution c: Convolution, filters: Int) {
        self.init(m: c.p * c.q, n: filters, k: c.r * c.s * c.c, conv: c)
    }

    /// Whether the layer is one convolution as SCALE-Sim runs it (M = P·Q, K = R·S·C, nothing empty): false
    /// for a GEMM, and for a batch or groups folded into M or K, which SCALE-Sim has no layer for.
    var isPlainConvolution: Bool {
        guard let c = conv else { return false }
        return m == c.p * c.q && k == c.r * c.s * c.c && m > 0 && n > 0 && k > 0
    }
}

/// The memory side of a SCALE-Sim configuration, in SCALE-Sim's words
/// (one byte each: `single_layer_sim.run` fixes `word_size = 1`).
public struct ScaleSimMemory: Sendable, Hashable {
    /// `InterfaceBandwidth`: CALC estimates the DRAM bandwidth a stall-free
    /// run needs; USER gives each operand's DRAM channel its bandwidth.
    public enum Mode: String, Sendable, Hashable { case calc = "CALC", user = "USER" }
    public var mode: Mode
    public var ifmapWords: Int, filterWords: Int, ofmapWords: Int
    /// Words per cycle of the ifmap, filter and ofmap DRAM channels. In
    /// USER mode SCALE-Sim takes them from `IfmapSRAMBankBandwidth`,
    /// `FilterSRAMBankBandwidth` and `Bandwidth`; in CALC mode it uses
    /// 10, 10 and the array's width whatever the file says
    /// (`single_layer_sim.run`).
    public var ifmapBandwidth: Int, filterBandwidth: Int, ofmapBandwidth: Int
    /// Whether CALC mode counts an overflowing im2col ifmap exactly (`ScaleSimIfmapReplay.dramReads`: ws per
    /// window-offset class and drop, is fold by fold or run by run, os run by run, none a step per request,
    /// each within `exactCountSteps`, past which the estimate stands and the report says so) or keeps
    /// the per-fold estimate (O(folds), exact for GEMMs and
    /// for convolutions whose input fits the buffer). lpsim counts exactly when SCALE-Sim's own channels are
    /// asked for (`systolic.dram`, a `.cfg`); a device whose operands share its off-chip level is not
    /// SCALE-Sim's memory system, and keeps the estimate. USER mode likewise walks its read buffer
    /// (`ScaleSimUserClasses`) or, when false, keeps its per-position estimate (in production USER mode
    /// always has `systolic.dram`: tests turn it off to measure the estimate).
    public var replayConvolutions = true
    /// Steps the exact ifmap count may take (`ScaleSimIfmapReplay.workLimit`; CALC's `dramReads`, USER's
    /// `ScaleSimUserClasses` walk); above them CALC keeps the per-fold estimate, USER the per-position one, and
    /// the report says so (`ScaleSimReport.ifmapReadsEstimated`). Not a hardware key: tests lower it.
    public var exactCountSteps = ScaleSimIfmapReplay.workLimit

    public init(mode: Mode, ifmapWords: Int, filterWords: Int, ofmapWords: Int, ifmapBandwidth: Int,
                filterBandwidth: Int, ofmapBandwidth: Int) {
        (self.mode, self.ifmapWords, self.filterWords, self.ofmapWords) = (mode, ifmapWords, filterWords, ofmapWords)
        (self.ifmapBandwidth, self.filterBandwidth) = (ifmapBandwidth, filterBandwidth)
        self.ofmapBandwidth = ofmapBandwidth
    }
}

/// What SCALE-Sim reports for one layer: COMPUTE_REPORT's cycles,
/// DETAILED_ACCESS_REPORT's access counts (in words) and
/// BANDWIDTH_REPORT's average DRAM bandwidths (words per cycle).
public struct ScaleSimReport: Sendable, Hashable {
    /// `Total Cycles`: the index of the last serviced demand row, stalls included.
    public var cycles: Int
    /// `Total Cycles (incl. prefetch)`: from the first DRAM prefetch to the last ofmap write-back.
    public var cyclesInclPrefetch: Int
    public var stallCycles: Int
    public var sramIfmapReads: Int, sramFilterReads: Int, sramOfmapWrites: Int
    public var dramIfmapReads: Int, dramFilterReads: Int, dramOfmapWrites: Int
    public var averageDRAMIfmapBandwidth: Double, averageDRAMFilterBandwidth: Double
    public var averageDRAMOfmapBandwidth: Double
    /// Whether `dramIfmapReads` is an estimate where SCALE-Sim's exact count was called for: a CALC convolution
    /// whose count ran out of, or was expected far past, `ScaleSimMemory.exactCountSteps` (the per-fold
    /// estimate); a USER one whose walk ran out of them (the per-position estimate, which the ifmap stalls
    /// then rest on too).
    public var ifmapReadsEstimated = false
}

/// SCALE-Sim v3's cycle and access counts, worked out per fold instead of
/// per demand row (what SCALE-Sim itself does). Sources are SCALE-Sim
/// v3.0.0's files, cited at each step.
public enum ScaleSimModel {
    /// The spatial rows, spatial columns and temporal extent of a dataflow
    /// (`topology_utils.calc_spatio_temporal_params`).
    static func mapping(_ l: ScaleSimLayer, _ df: SystolicModel.Dataflow) -> (sr: Int, sc: Int, t: Int) {
        switch df {
        case .os: (l.m, l.n, l.k)
        case .ws: (l.k, l.n, l.m)
        case .is: (l.k, l.m, l.n)
        }
    }

    /// Rows of SCALE-Sim's demand matrices: per fold, T plus the skew and
    /// the inter-fold gaps `systolic_compute_{os,ws,is}.create_*_demand_mat`
    /// add (os: R − 1 + C − 1; ws/is: a 2R − 1 weight-load prefix and C − 1).
    public static func demandRows(_ l: ScaleSimLayer, rows r: Int, columns c: Int,
                                  dataflow df: SystolicModel.Dataflow) -> Int {
        let (sr, sc, t) = mapping(l, df)
        let folds = ceilDiv(sr, r) * ceilDiv(sc, c)
        return folds * (df == .os ? t + r + c - 2 : t + 2 * r + c - 2)
    }

    /// SRAM reads and writes as the compute modules count them
    /// (`ifmap_reads`, `filter_reads`, `ofmap_writes` in
    /// `systolic_compute_*.create_*_demand_mat`): each fold adds its
    /// operand block's size, padding excluded. The output-stationary
    /// module also adds R + C per fold to `ofmap_writes` (it adds the
    /// padded fold's height plus width, not a count of writes): kept,
    /// since that is the figure SCALE-Sim reports.
    public static func sramCounts(_ l: ScaleSimLayer, rows r: Int, columns c: Int,
                                  dataflow df: SystolicModel.Dataflow) -> (ifmap: Int, filter: Int, ofmap: Int) {
        let (m, n, k) = (l.m, l.n, l.k)
        switch df {
        case .os:
            let rowFolds = ceilDiv(m, r), colFolds = ceilDiv(n, c)
            return (m * k * colFolds, k * n * rowFolds, m * n + rowFolds * colFolds * (r + c))
        case .ws:
            return (m * k * ceilDiv(n, c), k * n, m * n * ceilDiv(k, r))
        case .is:
            return (m * k, k * n * ceilDiv(m, c), m * n * ceilDiv(k, r))
        }
    }

    /// The report SCALE-Sim would print for `layer` on an R × C array.
    ///
    /// N:M sparsity (`[sparsity] SparsitySupport: true`, plain mapping): SCALE-Sim prunes and condenses the
    /// filter's K rows and drops the ifmap's matching columns, then runs the M × K′ × N layer
    /// (K′ = `keptRows(K)`); its ws module alone still counts ifmap SRAM reads of the dense K (it scales them
    /// by M/N, `systolic_compute_ws.create_ifmap_demand_mat`). A sparse convolution is run as that GEMM: its
    /// im2col repeats are not replayed (an estimate of its ifmap DRAM reads).
    public static func report(_ layer: ScaleSimLayer, rows r: Int, columns c: Int, dataflow df: SystolicModel.Dataflow,
                              memory: ScaleSimMemory) -> ScaleSimReport {
        if let s = layer.sparsity, !s.isDense {
            let kept = ScaleSimLayer(m: layer.m, n: layer.n, k: s.keptRows(layer.k))
            var out = report(kept, rows: r, columns: c, dataflow: df, memory: memory)
            if df == .ws {
                let perFold = Double(kept.m * kept.k) * Double(s.m) / Double(s.n)
                out.sramIfmapReads = Int((perFold * Double(ceilDiv(kept.n, c))).rounded())
            }
            return out
        }
        let rows = demandRows(layer, rows: r, columns: c, dataflow: df)
        let sram = sramCounts(layer, rows: r, columns: c, dataflow: df)
        let visits = ScaleSimVisits(layer, rows: r, columns: c, dataflow: df)
        switch memory.mode {
        case .calc:
            return calcReport(layer, r: r, c: c, df: df, memory: memory, demandRows: rows, sram: sram, visits: visits)
        case .user:
            return ScaleSimUserMode.report(layer, r: r, c: c, df: df, memory: memory, demandRows: rows, sram: sram,
                                           visits: visits)
        }
    }

    /// CALC mode: the read buffers never stall (`read_buffer_estimate_bw`
    /// only records what it fetched), so `Total Cycles` is the last demand
    /// row's index.
    static func calcReport(_ l: ScaleSimLayer, r: Int, c: Int, df: SystolicModel.Dataflow, memory: ScaleSimMemory,
                           demandRows: Int, sram: (ifmap: Int, filter: Int, ofmap: Int),
                           visits: ScaleSimVisits) -> ScaleSimReport {
        let last = demandRows - 1
        let ifmap = EstimateBuffer(words: memory.ifmapWords, bandwidth: 10)
        let filter = EstimateBuffer(words: memory.filterWords, bandwidth: 10)
        let replayed = memory.replayConvolutions
            ? replayedIfmapReads(l, r: r, c: c, df: df, bufferWords: memory.ifmapWords,
                                 steps: memory.exactCountSteps, visits: visits)
            : (reads: nil, declined: false)
        let ifmapReads = replayed.reads ?? ifmap.insertions(visits.ifmap, distinct: visits.ifmapDistinct)
        let filterReads = filter.insertions(visits.filter, distinct: visits.filterDistinct)
        let ifmapStart = ifmap.firstFetchCycle(insertions: ifmapReads, firstRequest: visits.ifmapFirstRequest)
        let filterStart = filter.firstFetchCycle(insertions: filterReads, firstRequest: visits.filterFirstRequest)
        let writeBuffer = WriteBuffer(words: memory.ofmapWords, bandwidth: memory.ofmapBandwidth)
        // The drains timed by when the demand rows write (`timedDrain`), else the untimed estimate.
        let ofmap = writeBuffer.timedDrain(OfmapArrivals(l, rows: r, columns: c, dataflow: df), lastCycle: last)
            ?? { let d = writeBuffer.drain(elements: visits.ofmapElements, lastCycle: last)
                 return (d.writes, d.start, d.stop) }()
        // Stop cycles of the read buffers: the last prefetch ends at the last request (estimate mode
        // prefetches what was requested up to then), within a cycle; a buffer that never dropped a set
        // fetched everything in its first prefetch, which ends at cycle −1 (`complete_all_prefetches`).
        let span = { (reads: Int, start: Int, buffer: EstimateBuffer) in
            Double(reads) / Double(max(1, (reads < buffer.segment ? -1 : last) - start + 1))
        }
        return ScaleSimReport(
            cycles: last, cyclesInclPrefetch: ofmap.stop - min(ifmapStart, filterStart), stallCycles: 0,
            sramIfmapReads: sram.ifmap, sramFilterReads: sram.filter, sramOfmapWrites: sram.ofmap,
            dramIfmapReads: ifmapReads, dramFilterReads: filterReads, dramOfmapWrites: ofmap.writes,
            averageDRAMIfmapBandwidth: span(ifmapReads, ifmapStart, ifmap),
            averageDRAMFilterBandwidth: span(filterReads, filterStart, filter),
            averageDRAMOfmapBandwidth: Double(ofmap.writes) / Double(max(1, ofmap.stop - ofmap.start + 1)),
            ifmapReadsEstimated: replayed.declined)
    }

    /// A convolution whose im2col ifmap repeats words (overlapping windows) or holds out-of-range
    /// positions, and whose distinct words reach the read buffer's drop size: counted exactly
    /// (`ScaleSimIfmapReplay.dramReads`, tested equal to the request-by-request replay), since where a drop
    /// falls decides which shared pixels hit. Otherwise nil, with `declined` true where the count was needed
    /// but exceeded its step allowance (`steps`; the per-fold estimate stands in).
    static func replayedIfmapReads(_ l: ScaleSimLayer, r: Int, c: Int, df: SystolicModel.Dataflow, bufferWords: Int,
                                   steps: Int, visits: ScaleSimVisits) -> (reads: Int?, declined: Bool) {
        guard let conv = l.conv, visits.ifmapDistinct >= ScaleSimModel.dropSegment(bufferWords: bufferWords),
              visits.ifmapDistinct != l.m * l.k || ScaleSimVisits.validWindowEntries(conv, m: l.m) != l.m * l.k
        else { return (nil, false) }
        // A batch folded into M (M = batch·P·Q) is no SCALE-Sim layer: its estimate is lpsim's own, not a decline.
        guard l.isPlainConvolution else { return (nil, false) }
        let reads = ScaleSimIfmapReplay.dramReads(l, conv: conv, rows: r, columns: c, dataflow: df,
                                                  bufferWords: bufferWords, steps: steps)
        return (reads, reads == nil)
    }

    @inline(__always) static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }

    /// ⌊a / b⌋ for any signs (Swift's `/` truncates toward zero).
    @inline(__always) static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// New ifmap words CALC mode's read buffer records before it drops them all and starts again
    /// (`read_buffer_estimate_bw.set_params`, scalesim/memory/read_buffer_estimate_bw.py: a set holds
    /// ⌊words / 100⌋ elements, the prefetch part is 100 − 100 · `active_buf_frac` sets, and
    /// `double_buffered_scratchpad` passes `rd_buf_active_frac=0.5`: 50 sets). At least one element a set:
    /// under 100 words SCALE-Sim's sets of 0 never fill (lpsim's guard, not SCALE-Sim's).
    static func dropSegment(bufferWords: Int) -> Int { 50 * max(1, bufferWords / 100) }
}
