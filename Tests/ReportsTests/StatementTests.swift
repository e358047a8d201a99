import Testing

@testable import Reports

/// Crafted comparisons, each built so that one rule must fire or must not,
/// and checks that every sentence kind is exercised both ways.
@Suite("summary statements")
struct StatementTests {
    static func entry(
        _ precision: String, on hardware: String = "A", seconds: Double = 1, energy: Double = 1,
        bits: Double = 8, format: String? = nil, qsnr: Double = 30, memoryBound: Double = 0,
        latencyBound: Double = 0, overflow: String? = nil
    ) -> ComparisonData.Entry {
        ComparisonData.Entry(
            hardware: hardware, hardwareFile: "\(hardware).yaml", precision: precision, seconds: seconds, cycles: 1,
            macs: 1,
            energyJoules: energy, computeJoules: energy, onChipJoules: 0, offChipJoules: 0, staticJoules: 0,
            areaSquareMillimetres: 1, utilisedDatapathSquareMillimetres: 1, overflow: overflow, bitsPerWeight: bits,
            weightFormat: format ?? precision, qsnrDecibels: qsnr, memoryBoundFraction: memoryBound,
            latencyBoundFraction: latencyBound, topOps: [])
    }

    static func device(_ name: String, area: Double) -> ComparisonData.Device {
        ComparisonData.Device(
            name: name, file: "\(name).yaml", source: "-", family: "systolic", clockHertz: 1e9, node: "-",
            peaks: [:], macEnergyPicojoules: [:], memory: [], fpgaResources: nil,
            area: .init(
                totalSquareMillimetres: area, macArraySquareMillimetres: area, sizingFormat: nil,
                scaleUnitsSquareMillimetres: 0, onChipMemorySquareMillimetres: 0))
    }

    static func data(
        _ entries: [ComparisonData.Entry], devices: [ComparisonData.Device] = [device("A", area: 100)],
        notRun: [ComparisonData.NotRun] = [], baseline: (String, String)? = nil
    ) -> ComparisonData {
        let base = baseline ?? (entries.first?.hardware ?? "A", entries.first?.precision ?? "-")
        var d = ComparisonData(
            title: "t", workload: "w", unit: "token", unitsPerInference: 1, baselineHardware: base.0,
            baselinePrecision: base.1, entries: entries, devices: devices, inputs: [], command: "",
            version: "", qsnrMethod: "")
        d.notRun = notRun
        return d
    }

    /// (what the case shows, the comparison, the kind, whether it must fire).
    static let cases: [(String, ComparisonData, Statement.Kind, Bool)] = [
        ("a 10% lead is fastest", data([entry("x", seconds: 1), entry("y", seconds: 1.1)]), .fastest, true),
        ("a 3% lead is not", data([entry("x", seconds: 1), entry("y", seconds: 1.03)]), .fastest, false),
        (
            "a 3% lead is within the margin", data([entry("x", seconds: 1), entry("y", seconds: 1.03)]),
            .fastestWithinMargin, true
        ),
        (
            "a 10% lead is not within it", data([entry("x", seconds: 1), entry("y", seconds: 1.1)]),
            .fastestWithinMargin, false
        ),
        ("one run has no fastest", data([entry("x")]), .fastest, false),
        ("a 20% energy lead is least", data([entry("x", energy: 2), entry("y", energy: 1.6)]), .leastEnergy, true),
        ("a 1% energy lead is not", data([entry("x", energy: 1), entry("y", energy: 1.01)]), .leastEnergy, false),
        (
            "a 1% energy lead is within the margin", data([entry("x", energy: 1), entry("y", energy: 1.01)]),
            .leastEnergyWithinMargin, true
        ),
        (
            "a 20% energy lead is not within it", data([entry("x", energy: 2), entry("y", energy: 1.6)]),
            .leastEnergyWithinMargin, false
        ),
        (
            "two devices, 50% apart: smallest",
            data(
                [entry("x", on: "A"), entry("x", on: "B")],
                devices: [device("A", area: 150), device("B", area: 100)]), .smallestDevice, true
        ),
        (
            "one device: no smallest", data([entry("x"), entry("y")], devices: [device("A", area: 100)]),
            .smallestDevice, false
        ),
        (
            "one device: no area comparison", data([entry("x"), entry("y")], devices: [device("A", area: 100)]),
            .deviceAreasWithinMargin, false
        ),
        (
            "two devices, 2% apart: within the margin",
            data(
                [entry("x", on: "A"), entry("x", on: "B")],
                devices: [device("A", area: 102), device("B", area: 100)]),
            .deviceAreasWithinMargin, true
        ),
        (
            "two devices, 2% apart: no smallest",
            data(
                [entry("x", on: "A"), entry("x", on: "B")],
                devices: [device("A", area: 102), device("B", area: 100)]),
            .smallestDevice, false
        ),
        ("two weight formats: an error range", data([entry("x", qsnr: 30), entry("y", qsnr: 20)]), .errorRange, true),
        ("one weight format: no range", data([entry("x", format: "w"), entry("y", format: "w")]), .errorRange, false),
        (
            "one weight format: said so", data([entry("x", format: "w"), entry("y", format: "w")]), .sameWeightFormat,
            true
        ),
        ("two weight formats: not the same", data([entry("x"), entry("y")]), .sameWeightFormat, false),
        ("80% memory-bound", data([entry("x", memoryBound: 0.8)]), .memoryBound, true),
        ("exactly 50% is not memory-bound", data([entry("x", memoryBound: 0.5)]), .memoryBound, false),
        ("exactly 50% is compute-bound", data([entry("x", memoryBound: 0.5)]), .computeBound, true),
        ("80% memory-bound is not compute-bound", data([entry("x", memoryBound: 0.8)]), .computeBound, false),
        ("60% latency-bound", data([entry("x", memoryBound: 0.1, latencyBound: 0.6)]), .latencyBound, true),
        ("40% latency, 35% memory: latency-bound", data([entry("x", memoryBound: 0.35, latencyBound: 0.4)]),
         .latencyBound, true),
        ("40% latency, 35% memory: not compute-bound", data([entry("x", memoryBound: 0.35, latencyBound: 0.4)]),
         .computeBound, false),
        ("35% memory, 20% latency: compute-bound", data([entry("x", memoryBound: 0.35, latencyBound: 0.2)]),
         .computeBound, true),
        ("no latency-bound ops: not latency-bound", data([entry("x", memoryBound: 0.8)]), .latencyBound, false),
        (
            "memory-bound, fewer bits always faster",
            data([
                entry("a", seconds: 4, bits: 16, memoryBound: 0.9), entry("b", seconds: 2, bits: 8, memoryBound: 0.9),
                entry("c", seconds: 1, bits: 4, memoryBound: 0.9),
            ]), .fewerBitsFaster, true
        ),
        (
            "memory-bound, 4 bits slower than 8",
            data([
                entry("a", seconds: 4, bits: 16, memoryBound: 0.9), entry("b", seconds: 2, bits: 8, memoryBound: 0.9),
                entry("c", seconds: 3, bits: 4, memoryBound: 0.9),
            ]), .fewerBitsFaster, false
        ),
        (
            "compute-bound: no claim about bits",
            data([entry("a", seconds: 4, bits: 16), entry("b", seconds: 2, bits: 8)]), .fewerBitsFaster, false
        ),
        (
            "a plan that did not run",
            data(
                [entry("x")],
                notRun: [
                    .init(
                        hardware: "A", hardwareFile: "A.yaml", precision: "bf16",
                        reason: "cannot execute bf16")
                ]), .notRun, true
        ),
        ("everything ran", data([entry("x")]), .notRun, false),
        ("a run beyond memory", data([entry("x", overflow: "HBM needs 2 GB but holds 1 GB")]), .overflow, true),
        ("every run fits", data([entry("x")]), .overflow, false),
        (
            "the baseline did not run",
            data(
                [entry("x")],
                notRun: [
                    .init(
                        hardware: "A", hardwareFile: "A.yaml", precision: "bf16",
                        reason: "cannot execute bf16")
                ], baseline: ("A", "bf16")),
            .baselineNotRun, true
        ),
        ("the baseline ran", data([entry("x")]), .baselineNotRun, false),
    ]

    @Test("each rule fires where it should and not where it must not", arguments: cases.indices)
    func rule(_ i: Int) {
        let (what, data, kind, fires) = Self.cases[i]
        let kinds = Statements.derive(data).map(\.kind)
        #expect(kinds.contains(kind) == fires, "\(what): \(kinds)")
    }

    @Test("every sentence kind has a case where it fires and one where it does not")
    func coverage() {
        for kind in Statement.Kind.allCases {
            #expect(Self.cases.contains { $0.2 == kind && $0.3 }, "\(kind) never fires")
            #expect(Self.cases.contains { $0.2 == kind && !$0.3 }, "\(kind) never held back")
        }
    }

    @Test("the sentences quote the table: the named leader has the least time, the margin group is all within it")
    func quotes() throws {
        let lead = Self.data([
            Self.entry("x", seconds: 2e-3, energy: 3), Self.entry("y", seconds: 1e-3, energy: 1),
            Self.entry("z", seconds: 3e-3, energy: 5),
        ])
        let fastest = try #require(Statements.derive(lead).first { $0.kind == .fastest })
        #expect(fastest.text.hasPrefix("**Fastest:** y, 1.00 ms"))
        #expect(
            fastest.text.contains("2.00× the baseline's speed")
                && fastest.text.contains("the next, x, takes 100% longer"))
        let least = try #require(Statements.derive(lead).first { $0.kind == .leastEnergy })
        #expect(least.text.contains("y, 1.00 J") && least.text.contains("0.333× the baseline's energy"))

        let tie = Self.data([Self.entry("x", seconds: 1.02), Self.entry("y", seconds: 1), Self.entry("z", seconds: 2)])
        let group = try #require(Statements.derive(tie).first { $0.kind == .fastestWithinMargin })
        #expect(group.text.contains("y and x are within 2% of each other"), "\(group.text)")
        #expect(!group.text.contains("z"))

        let bound = Self.data([
            Self.entry("x", memoryBound: 0.6), Self.entry("y", memoryBound: 0.9), Self.entry("z", memoryBound: 0.1),
        ])
        let memory = try #require(Statements.derive(bound).first { $0.kind == .memoryBound })
        #expect(
            memory.text
                == "**Memory-bound:** x and y spend the largest share of their time in memory-bound ops (60%–90%).")
    }

    @Test("one device: one area on every row and no smallest line; a plan that did not run is a marked row")
    func markdown() {
        var d = Self.data(
            [Self.entry("x", seconds: 1), Self.entry("y", seconds: 2)], devices: [Self.device("A", area: 123)],
            notRun: [.init(hardware: "A", hardwareFile: "A.yaml", precision: "bf16", reason: "cannot execute bf16")])
        d.work = .init(
            phase: "decode", batch: 1, context: 2049, description: "one decode step", label: "decode step of 1 token")
        let md = MarkdownReport(data: d, stem: "r").markdown()
        #expect(!md.contains("Smallest"))
        #expect(md.contains("# t — one inference: decode step of 1 token"))
        #expect(
            md.contains("latency / decode step of 1 token") && md.contains("energy / token") && md.contains("tokens/s"))
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("| A |") }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.contains("| 123 |") })
        #expect(rows.filter { $0.contains("**not run**: cannot execute bf16") }.count == 1)
        #expect(rows.filter { $0.hasSuffix("| baseline |") }.count == 1)
    }
}
