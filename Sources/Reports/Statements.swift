import Foundation

/// One sentence of a report's summary, with the rule that produced it.
public struct Statement: Sendable, Equatable {
    /// Every kind of sentence a summary can hold. Each comes from one rule of
    /// `Statements.derive`, whose threshold its documentation states.
    public enum Kind: String, Sendable, CaseIterable {
        case fastest, fastestWithinMargin, leastEnergy, leastEnergyWithinMargin
        case smallestDevice, deviceAreasWithinMargin
        case errorRange, sameWeightFormat
        case memoryBound, latencyBound, computeBound, fewerBitsFaster
        case notRun, overflow, baselineNotRun
    }

    public var kind: Kind
    public var text: String
}

/// The rules that turn a comparison into summary sentences. Every sentence is
/// a function of the data the report's tables show, so a reader can check it
/// against them (`scripts/check_reports.sh` does, for the shipped reports).
public enum Statements {
    /// A run is "fastest" or "least energy" only when it beats the runner-up by
    /// more than this fraction, and a device "smallest" likewise; otherwise the
    /// leaders are reported as within X% of each other. 5% is the tolerance the
    /// model-validation report holds large-GEMM efficiency to (the model's own
    /// uncertainty on the best-measured figure; others are looser).
    public static let margin = 0.05
    /// A run is memory-, latency- or compute-bound by the largest of the three shares of its time
    /// (`boundGroup`): with no latency-bound ops, memory-bound exactly when more than half is.
    /// Two runs' latencies count as different when they differ by more than this
    /// fraction (for "fewer bits per weight meant lower latency").
    public static let latencyResolution = 0.01

    /// The summary of `data`, in a fixed order: what did not run, then time,
    /// energy, area, error, and what bounds the runs.
    public static func derive(_ data: ComparisonData) -> [Statement] {
        var out: [Statement] = []
        let entries = data.entries
        let devices = Set(entries.map(\.hardware)).union((data.notRun ?? []).map(\.hardware))
        func label(_ hardware: String, _ precision: String) -> String {
            devices.count > 1 ? "\(precision) on \(hardware)" : precision
        }
        func label(_ e: ComparisonData.Entry) -> String { label(e.hardware, e.precision) }
        let unit = data.work?.label ?? "inference"
        let notRun = data.notRun ?? []
        if !notRun.isEmpty {
            out.append(
                Statement(
                    kind: .notRun,
                    text: "**Not run:** "
                        + notRun.map {
                            "\(label($0.hardware, $0.precision)) (\($0.reason))"
                        }.joined(separator: "; ")
                        + ". Their rows in the results say so; no other figure depends on them."))
        }
        let base = entries.first { $0.hardware == data.baselineHardware && $0.precision == data.baselinePrecision }
        if base == nil, let first = entries.first {
            out.append(
                Statement(
                    kind: .baselineNotRun,
                    text: "**Baseline:** \(label(data.baselineHardware, data.baselinePrecision)) "
                        + "did not run; ratios are against \(label(first)) instead."))
        }
        let overflowing = entries.filter { $0.overflow != nil }
        if !overflowing.isEmpty {
            out.append(
                Statement(
                    kind: .overflow,
                    text: "**Does not fit:** "
                        + overflowing.map {
                            "\(label($0)) (\($0.overflow!))"
                        }.joined(separator: "; ")
                        + "; simulated anyway (`--allow-overflow`), as if the memory were there."))
        }
        guard let baseline = base ?? entries.first else { return out }

        if entries.count > 1 {
            out.append(
                ranked(entries, by: \.seconds, label: label, kinds: (.fastest, .fastestWithinMargin)) { leader, next in
                    "**Fastest:** \(label(leader)), \(MarkdownReport.seconds(leader.seconds)) per \(unit) "
                        + "(\(trimmed(baseline.seconds / leader.seconds))× the baseline's speed; "
                        + "the next, \(label(next)), "
                        + "takes \(percent(next.seconds / leader.seconds - 1)) longer)."
                } tie: { group, spread in
                    "**Latency:** \(list(group.map(label))) \(within(spread)) "
                        + "(\(range(group.first!.seconds, group.last!.seconds, MarkdownReport.seconds)) per \(unit)), "
                        + "inside the \(percent(margin)) margin: none is called fastest."
                })
            out.append(
                ranked(entries, by: \.energyJoules, label: label, kinds: (.leastEnergy, .leastEnergyWithinMargin)) {
                    leader, next in
                    "**Least energy:** \(label(leader)), \(MarkdownReport.joules(leader.energyJoules)) per \(unit) "
                        + "(\(trimmed(leader.energyJoules / baseline.energyJoules))× the baseline's energy; the next, "
                        + "\(label(next)), uses \(percent(next.energyJoules / leader.energyJoules - 1)) more)."
                } tie: { group, spread in
                    "**Energy:** \(list(group.map(label))) \(within(spread)) "
                        + "(\(range(group.first!.energyJoules, group.last!.energyJoules, MarkdownReport.joules)) "
                        + "per \(unit)), inside the \(percent(margin)) margin: none is called least."
                })
        }
        let sized = data.devices.filter { d in d.area != nil && devices.contains(d.name) }
        if sized.count > 1 {
            struct Sized {
                var name: String
                var area: Double
            }
            let all = sized.map { Sized(name: $0.name, area: $0.area!.totalSquareMillimetres) }
            out.append(
                ranked(all, by: \.area, label: \.name, kinds: (.smallestDevice, .deviceAreasWithinMargin)) {
                    leader, next in
                    "**Smallest device:** \(leader.name), \(trimmed(leader.area)) mm² modelled "
                        + "(the next, \(next.name), "
                        + "is \(percent(next.area / leader.area - 1)) larger)."
                } tie: { group, spread in
                    "**Area:** \(list(group.map(\.name))) \(within(spread)) "
                        + "(\(range(group.first!.area, group.last!.area) { trimmed($0) + " mm²" }) modelled)."
                })
        }
        let formats = Set(entries.map(\.weightFormat))
        if formats.count > 1 {
            let accurate = entries.max { $0.qsnrDecibels < $1.qsnrDecibels }!
            let least = entries.min { $0.qsnrDecibels < $1.qsnrDecibels }!
            out.append(
                Statement(
                    kind: .errorRange,
                    text: "**What it costs in error:** weight-format QSNR ranges from "
                        + "\(trimmed(least.qsnrDecibels)) dB (\(label(least))) to \(trimmed(accurate.qsnrDecibels)) dB "
                        + "(\(label(accurate))); each 6 dB is one bit of precision."))
        } else if let only = formats.first {
            out.append(
                Statement(
                    kind: .sameWeightFormat,
                    text: "**Error:** every run stores weights in \(only) "
                        + "(\(trimmed(baseline.qsnrDecibels)) dB QSNR), "
                        + "so the runs differ in cost, not in weight error."
                ))
        }
        let memory = entries.filter { boundGroup($0) == .memoryBound }
        let latency = entries.filter { boundGroup($0) == .latencyBound }
        let compute = entries.filter { boundGroup($0) == .computeBound }
        func share(_ group: [ComparisonData.Entry], _ f: (ComparisonData.Entry) -> Double) -> String {
            let values = group.map(f)
            let (lo, hi) = (percent(values.min()!), percent(values.max()!))
            return lo == hi ? lo : "\(lo)–\(hi)"
        }
        func who(_ group: [ComparisonData.Entry]) -> (String, String, String) {
            group.count == entries.count && entries.count > 1
                ? ("every run", "spends", "its")
                : group.count == 1 ? (label(group[0]), "spends", "its") : (list(group.map(label)), "spend", "their")
        }
        let groups: [(Statement.Kind, String, [ComparisonData.Entry], (ComparisonData.Entry) -> Double, String)] = [
            (.memoryBound, "Memory", memory, { $0.memoryBoundFraction }, ""),
            (.latencyBound, "Latency", latency, { $0.latencyBoundFraction ?? 0 },
             ": fixed latencies (the shortest kernel, launch gaps, pipeline fill), not bandwidth or MACs, set it"),
            (.computeBound, "Compute", compute, { $0.computeBoundFraction }, ""),
        ]
        for (kind, name, group, fraction, why) in groups where !group.isEmpty {
            let (subject, verb, its) = who(group)
            out.append(
                Statement(
                    kind: kind,
                    text: "**\(name)-bound:** \(subject) \(verb) the largest share of \(its) time in "
                        + "\(name.lowercased())-bound ops (\(share(group, fraction)))\(why)."))
        }
        for hardware in entries.map(\.hardware).uniqued() {
            let group = memory.filter { $0.hardware == hardware }.sorted {
                $0.bitsPerWeight != $1.bitsPerWeight ? $0.bitsPerWeight > $1.bitsPerWeight : $0.seconds > $1.seconds
            }
            guard Set(group.map(\.bitsPerWeight)).count > 1 else { continue }
            // Every pair with fewer bits per weight is faster by more than the resolution.
            let monotone = group.indices.allSatisfy { i in
                group.indices.allSatisfy { j in
                    group[j].bitsPerWeight >= group[i].bitsPerWeight
                        || group[j].seconds < group[i].seconds * (1 - latencyResolution)
                }
            }
            guard monotone else { continue }
            let (wide, narrow) = (group.first!, group.last!)
            out.append(
                Statement(
                    kind: .fewerBitsFaster,
                    text: "**Fewer bits, less time:** "
                        + (devices.count > 1 ? "on \(hardware), " : "")
                        + "among the memory-bound runs every plan with fewer bits per weight is faster "
                        + "(\(trimmed(wide.bitsPerWeight)) bits: \(MarkdownReport.seconds(wide.seconds)); "
                        + "\(trimmed(narrow.bitsPerWeight)) bits: \(MarkdownReport.seconds(narrow.seconds)))."))
        }
        return out
    }

    /// The leader by `key` (smallest first) when it beats the runner-up by more
    /// than `margin`, else the group within `margin` of the leader and its spread.
    static func ranked<T>(
        _ items: [T], by key: (T) -> Double, label: (T) -> String,
        kinds: (Statement.Kind, Statement.Kind),
        lead: (T, T) -> String, tie: ([T], Double) -> String
    ) -> Statement {
        let sorted = items.sorted { key($0) != key($1) ? key($0) < key($1) : label($0) < label($1) }
        let leader = sorted[0]
        let next = sorted[1]
        guard key(leader) > 0 else { return Statement(kind: kinds.1, text: tie(sorted.filter { key($0) == 0 }, 0)) }
        if key(next) > key(leader) * (1 + margin) { return Statement(kind: kinds.0, text: lead(leader, next)) }
        let group = sorted.filter { key($0) <= key(leader) * (1 + margin) }
        return Statement(kind: kinds.1, text: tie(group, key(group.last!) / key(leader) - 1))
    }

    /// The bound that holds the largest share of `e`'s time; ties go to compute, then memory.
    static func boundGroup(_ e: ComparisonData.Entry) -> Statement.Kind {
        let (memory, latency, compute) = (e.memoryBoundFraction, e.latencyBoundFraction ?? 0, e.computeBoundFraction)
        if compute >= memory && compute >= latency { return .computeBound }
        return memory >= latency ? .memoryBound : .latencyBound
    }

    /// "are within 2.1% of each other", or "are equal to three significant figures" under 0.05%.
    static func within(_ spread: Double) -> String {
        spread < 0.0005 ? "are equal to three significant figures" : "are within \(percent(spread)) of each other"
    }

    /// "1.00 ms–1.02 ms", or one figure when both print alike.
    static func range(_ low: Double, _ high: Double, _ format: (Double) -> String) -> String {
        format(low) == format(high) ? format(low) : format(low) + "–" + format(high)
    }

    /// A percentage to three significant digits without trailing zeros: "50%", "65.2%", "0.3%".
    static func percent(_ fraction: Double) -> String {
        var s = trimmed(fraction * 100)
        if s.contains("."), !s.contains("e") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s + "%"
    }

    static func list(_ names: [String]) -> String {
        names.count <= 2
            ? names.joined(separator: " and ")
            : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
