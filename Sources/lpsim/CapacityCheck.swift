import Documents
import Hardware
import Simulator
import Workload

/// The capacity check `simulate` and `compare` run: an error naming the
/// level, what it needs and what it holds, unless `--allow-overflow` asks to
/// simulate anyway (then a warning, and the overflows for the result to show).
func capacityCheck(_ needs: CapacityNeeds, _ device: HardwareModel, workload: String,
                   allowOverflow: Bool) throws -> [CapacityNeeds.Overflow] {
    let over = needs.overflows(on: device)
    guard !over.isEmpty else { return [] }
    if !allowOverflow { try needs.check(on: device, workload: workload) }
    var stderr = StandardError()
    for o in over { print("\(workload): warning: does not fit \(device.name): \(o)", to: &stderr) }
    return over
}

/// The capacity needs of a whole trace under `plan`.
func capacityNeeds(_ trace: Trace, plan: PrecisionPlan, file: String) throws -> CapacityNeeds {
    var needs = CapacityNeeds(plan: plan)
    for op in trace.ops {
        do throws(ShapeError) { try needs.add(op) } catch {
            throw Diagnostic(file: file, message: "op '\(op.name)': \(error.message)")
        }
    }
    return needs
}
