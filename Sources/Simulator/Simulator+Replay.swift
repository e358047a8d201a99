import Documents
import Hardware
import Workload

extension Simulator {
    /// A simulation fed one op at a time, in trace order, so that a trace
    /// can be streamed from its file without ever being held whole: the
    /// ops pass through, only their results stay.
    public struct Replay {
        let simulator: Simulator
        let traceFile: String
        var results: [OpResult] = []
        var cache = FormatCache()
        var previousKind: OpKind?
        /// The dense score count of the last QKᵀ while only ops on its scores (a position bias)
        /// have followed it, and the share of them its causal mask leaves visible (1 without one).
        var pendingScores: Int64?
        var previousVisibleScores = 1.0
        var mappingNames: [Mapping: String] = [:]
        var lastMapping: Mapping?
        var throttledOps = 0
        var dequantizedOps = 0
        /// Convolutions whose CALC ifmap DRAM reads are the per-fold estimate, and the first of them.
        var estimatedIfmapOps = 0, firstEstimatedIfmapOp = ""
        /// Matrix ops whose weight is N:M sparse on a device that does not skip the pruned MACs.
        var denseSparseOps = 0
        /// Causal attention products run whole (masked afterwards) on a device that does not skip masked blocks.
        var unmaskedCausalOps = 0
        /// Whether each op's result is kept for `result(workload:)`; a
        /// streaming caller takes each from `add` and reads `totals`.
        let keepsResults: Bool
        /// The sums over the ops added so far.
        public private(set) var totals = SimulationTotals()

        /// - Parameters:
        ///   - expectedOps: capacity to reserve for the results (0 if unknown).
        ///   - keepingResults: false to hold no result per op: memory stays
        ///     bounded whatever the trace's length (`summary(workload:)`).
        public init(_ simulator: Simulator, traceFile: String = "", expectedOps: Int = 0, keepingResults: Bool = true) {
            self.simulator = simulator
            self.traceFile = traceFile
            keepsResults = keepingResults
            if keepingResults { results.reserveCapacity(expectedOps) }
        }

        /// Simulates the next op of the trace and returns its result (its
        /// mapping is named in `summary(workload:).mappingNames` from now on).
        ///
        /// - Throws: `Diagnostic` as `Simulator.run` does.
        @discardableResult
        public mutating func add(_ op: Op) throws -> OpResult {
            // A softmax right after QKᵀ, or a softmax or elementwise op of the scores' size after a chain of them.
            var onScores = false
            if let scores = pendingScores {
                switch op.shape {
                case .rows(let r) where op.kind == .softmax:
                    onScores = previousKind == .attentionQK || Int64(r.rows) * Int64(r.columns) == scores
                case .elementwise(let e): onScores = Int64(e.elements) == scores
                default: break
                }
            }
            var result = try simulator.simulate(op, file: traceFile, cache: &cache, onScores: onScores,
                                                visibleScores: previousVisibleScores)
            // On a GPU, an elementwise, softmax, norm or conversion op that follows
            // another op is fused into its neighbour's kernel (epilogue or prologue
            // fusion, as inference engines do), and PV after the softmax of QKᵀ is
            // the second half of one fused attention kernel (FlashAttention): no
            // launch of their own.
            let fusedElementwise = previousKind != nil && !op.kind.isMatrixProduct && op.kind != .embedding
            let fusedAttention = op.kind == .attentionPV && previousKind == .softmax
            let engine = simulator.engine
            if engine.fusesKernels, fusedElementwise || fusedAttention {
                let unfused = result.seconds
                result.seconds -= engine.launchOverheadSeconds * Double(op.repeatCount)
                result.energy.staticEnergy = simulator.hardware.staticWatts * result.seconds
                // The same MACs in less time: utilization rises with it.
                if result.seconds > 0 { result.utilization = min(1, result.utilization * unfused / result.seconds) }
                result.mapping = .fused
                // Without a launch of its own, only the kernel's cycles decide what bounds it.
                result.bound = Bound(computeCycles: result.computeCycles, memoryCycles: result.memoryCycles,
                                     totalCycles: result.cycles)
            }
            if result.mapping != lastMapping {
                if mappingNames[result.mapping] == nil {
                    mappingNames[result.mapping] = result.mapping == .fused ? "fused"
                        : result.mapping == .vector ? "vector" : engine.describe(result.mapping)
                }
                lastMapping = result.mapping
            }
            if result.throttled { throttledOps += 1 }
            if result.dequantized { dequantizedOps += 1 }
            if result.access?.ifmapReadsEstimated == true {
                if estimatedIfmapOps == 0 { firstEstimatedIfmapOp = op.name }
                estimatedIfmapOps += 1
            }
            if op.kind.isMatrixProduct, op.weightSparsity != nil, !engine.skipsStructuredSparsity {
                denseSparseOps += 1
            }
            previousKind = op.kind
            let chained = onScores && op.kind == .elementwise
            if !chained { (pendingScores, previousVisibleScores) = (nil, 1) }
            // A mask that hides nothing (a decode step's one query sees every key) changes nothing.
            if case .attention(let a) = op.shape {
                let share = a.visibleShare
                if op.kind == .attentionQK { (pendingScores, previousVisibleScores) = (a.allScores, share) }
                if share < 1, !engine.skipsMaskedBlocks { unmaskedCausalOps += 1 }
            }
            totals.add(result)
            if keepsResults { results.append(result) }
            return result
        }

        /// The format of each operand role of `result`, one of the results `add` returned.
        public func formats(of result: OpResult) -> RoleFormats { cache.resolved[result.assignment].roles }

        /// What the figures rest on that a reader must be told.
        var notes: [String] {
            var notes: [String] = []
            if throttledOps > 0, let tdp = simulator.hardware.tdpWatts {
                notes.append("\(throttledOps) op\(throttledOps == 1 ? "" : "s") would draw more than the \(tdp) W TDP: "
                             + "their clock is lowered to hold the power cap (time stretched, energy unchanged)")
            }
            if dequantizedOps > 0 {
                let formats = cache.resolved.filter(\.dequantized).flatMap { r in
                    [r.roles.weight, r.roles.input].compactMap { $0 }.filter { $0 != r.compute?.format }
                        .map { "\($0.name) → \(r.compute?.format.name ?? "?")" }
                }.uniqued()
                notes.append("\(dequantizedOps) matrix op\(dequantizedOps == 1 ? "" : "s") ran with operands "
                             + "dequantised (\(formats.joined(separator: ", "))): \(simulator.hardware.name) has no "
                             + "native MACs for them, so they are widened on the way in, as serving kernels do "
                             + "(a plan with native: true makes this an error)")
            }
            if estimatedIfmapOps > 0 {
                let ops = estimatedIfmapOps == 1 ? "1 convolution ('\(firstEstimatedIfmapOp)') has"
                    : "\(estimatedIfmapOps) convolutions (the first '\(firstEstimatedIfmapOp)') have"
                // Seconds measured on release builds (Benchmarks/README: 3-9 ns a CALC step; 6-21 a USER one on
                // the layers that spend it).
                let engine = simulator.engine as? SystolicEngine
                let steps = engine?.exactCountSteps ?? ScaleSimIfmapReplay.workLimit
                let allowance = steps >= 1_000_000 ? "lpsim's allowance of \(steps / 1_000_000) M steps"
                    : "lpsim's allowance of \(steps) steps"
                if engine?.spec.dram?.mode == .user {
                    notes.append("\(ops) USER-mode DRAM ifmap reads and ifmap stalls from lpsim's per-position "
                                 + "estimate of SCALE-Sim's read buffer, not its exact walk: walking it exceeds (or at "
                                 + "its rate so far would exceed) " + allowance + ", 1-4 s")
                } else {
                    notes.append("\(ops) CALC-mode DRAM ifmap reads from SCALE-Sim's per-fold estimate, not the "
                                 + "exact count of its read buffer: counting them exactly exceeds \(allowance), "
                                 + "about a second (their cycles are exact)")
                }
            }
            if denseSparseOps > 0 {
                let which = simulator.engine.denseSparsityReason(family: simulator.hardware.family)
                let ops = denseSparseOps == 1 ? "1 matrix op declares" : "\(denseSparseOps) matrix ops declare"
                notes.append("\(ops) N:M structured sparsity that \(simulator.hardware.name) does not skip "
                             + "(\(which)): run dense")
            }
            if unmaskedCausalOps > 0 {
                let ops = unmaskedCausalOps == 1 ? "1 causal attention product runs its"
                    : "\(unmaskedCausalOps) causal attention products run their"
                notes.append("\(ops) whole score rectangle on \(simulator.hardware.name), masked afterwards "
                             + "(lpsim skips masked blocks only in a GPU's fused attention): the hidden products "
                             + "cost time and energy; MACs and utilisation count the visible ones")
            }
            return notes
        }

        /// The result of the ops added so far, as the trace named `workload`
        /// (without ops when the replay keeps none).
        public func result(workload: String) -> SimulationResult {
            let s = simulator
            return SimulationResult(hardware: s.hardware.name, hardwareFile: s.hardware.file, workload: workload,
                                    precision: s.plan.name, clockHertz: s.hardware.clockHertz, ops: results,
                                    assignments: cache.resolved.map(\.roles),
                                    areaSquareMillimetres: s.area(for: totals),
                                    mappingNames: mappingNames, notes: notes)
        }

        /// Everything of the result but its ops, whose sums are `totals`: the
        /// header a streaming output writes around the ops it was handed.
        public func summary(workload: String) -> SimulationResult {
            var r = result(workload: workload)
            r.ops = []
            return r
        }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
