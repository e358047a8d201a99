import Documents
import Hardware
import Simulator
import Workload

/// Evaluates design points: decodes each point's hardware (once for a run of
/// points that share it), checks the constraints known before simulating,
/// simulates, and adds the cached numerics. Safe to call from many tasks.
public final class SweepEvaluator: Sendable {
    public let spec: SweepSpec
    let numerics = SweepNumerics()
    /// Per trace, the reduction length of each op.
    let lengths: [[Int]]
    /// Per trace and plan, what the workload must hold.
    let needs: [[CapacityNeeds]]
    let hardwareDimensions: [Int]
    /// Where the workload and precision axes are: (dimension, axis in it).
    let workloadAxis: (Int, Int), precisionAxis: (Int, Int)?

    public init(_ spec: SweepSpec) throws {
        self.spec = spec
        lengths = spec.traces.map { $0.ops.map(SweepNumerics.reductionLength) }
        needs = try spec.traces.map { trace in
            try spec.plans.map { plan in
                var n = CapacityNeeds(plan: plan)
                for op in trace.ops {
                    do throws(ShapeError) { try n.add(op) } catch {
                        throw Diagnostic(file: trace.name, message: "op '\(op.name)': \(error.message)")
                    }
                }
                return n
            }
        }
        hardwareDimensions = spec.hardwareDimensions
        func find(_ target: SweepAxis.Target) -> (Int, Int)? {
            for (d, dim) in spec.dimensions.enumerated() {
                if let a = dim.axes.firstIndex(where: { $0.target == target }) { return (d, a) }
            }
            return nil
        }
        workloadAxis = find(.workload)!
        precisionAxis = find(.precision)
    }

    /// The hardware a run of points shares, and what is derived from it once.
    struct HardwarePoint {
        var key: [Int]
        var model: HardwareModel?
        var error: String
        var area = 0.0
        var arithmetic = ""
        var simulators: [Int: Simulator] = [:]
    }

    /// The axis values of point `index`, one per axis, in column order.
    public func labels(_ index: Int) -> [String] {
        let c = spec.coordinates(of: index)
        return spec.dimensions.enumerated().flatMap { d, dim in dim.axes.map { $0.labels[c[d]] } }
    }

    /// Rows of `indices`, in order.
    public func evaluate(_ indices: [Int]) -> [SweepRow] {
        var cache: HardwarePoint?
        return indices.map { evaluate($0, cache: &cache) }
    }

    func evaluate(_ index: Int, cache: inout HardwarePoint?) -> SweepRow {
        let c = spec.coordinates(of: index)
        let key = hardwareDimensions.map { c[$0] }
        if cache?.key != key {
            var point = HardwarePoint(key: key, error: "")
            do {
                let model = try spec.hardware(c)
                point.model = model
                point.area = DeviceArea(model).totalSquareMillimetres
                point.arithmetic = SweepNumerics.arithmeticKey(model)
            } catch let d as Diagnostic { point.error = d.description } catch { point.error = "\(error)" }
            cache = point
        }
        guard let model = cache!.model else { return SweepRow(index: index, status: .invalid, reason: cache!.error) }
        let w = c[workloadAxis.0], p = precisionAxis.map { c[$0.0] } ?? 0
        var row = SweepRow(index: index, status: .ok)
        let need = needs[w][p]
        row[.area] = cache!.area
        row[.peakMemory] = need.weightBytes + need.kvCacheBytes + need.activationBytes
        if let reason = spec.constraints.violation(prior: true, { figure in
            figure == "area" ? row[.area] : row[.peakMemory]
        }) {
            row.status = .pruned
            row.reason = reason
            return row
        }
        if let over = need.overflows(on: model).first {
            row.status = .notFitting
            row.reason = over.description
            return row
        }
        let simulator = cache!.simulators[p] ?? Simulator(hardware: model, plan: spec.plans[p])
        cache!.simulators[p] = simulator
        let result: SimulationResult
        do { result = try simulator.run(spec.traces[w]) } catch let d as Diagnostic {
            row.status = .notRun
            row.reason = d.message
            return row
        } catch {
            row.status = .notRun
            row.reason = "\(error)"
            return row
        }
        fill(&row, result)
        if let q = numerics.totals(result, model: model, key: "\(cache!.arithmetic)|\(w)|\(p)", lengths: lengths[w]) {
            row[.outputQSNR] = q.outputQSNR
            row[.weightQSNR] = q.weightQSNR
        }
        if let reason = spec.constraints.violation(prior: false, { figure in
            switch figure {
            case "power": row[.power]
            case "latency": row[.latency]
            case "energy": row[.energy]
            case "output_qsnr": row[.outputQSNR].isFinite ? row[.outputQSNR] : nil
            default: row[.weightQSNR].isFinite ? row[.weightQSNR] : nil
            }
        }) {
            row.status = .rejected
            row.reason = reason
        }
        return row
    }

    /// Totals of a simulation in one pass over its ops.
    func fill(_ row: inout SweepRow, _ result: SimulationResult) {
        var seconds = 0.0, cycles = 0.0, macs = 0.0, busy = 0.0, memoryBound = 0.0, latencyBound = 0.0
        var energy = EnergyBreakdown()
        for op in result.ops {
            seconds += op.seconds
            cycles += op.cycles
            macs += op.macs
            energy = energy + op.energy
            busy += op.utilization * op.seconds
            if op.bound == .memory { memoryBound += op.seconds }
            if op.bound == .latency { latencyBound += op.seconds }
        }
        row[.latency] = seconds
        row[.cycles] = cycles
        row[.macs] = macs
        row[.energy] = energy.total
        row[.energyCompute] = energy.compute
        row[.energyOnChip] = energy.onChipMemory
        row[.energyOffChip] = energy.offChipMemory
        row[.energyStatic] = energy.staticEnergy
        row[.edp] = seconds * energy.total
        row[.power] = seconds > 0 ? energy.total / seconds : .nan
        row[.utilization] = seconds > 0 ? busy / seconds : .nan
        // The bound of the most time when one holds more than half of it; else compute.
        row.bound = memoryBound > seconds / 2 ? "memory" : latencyBound > seconds / 2 ? "latency" : "compute"
    }
}
