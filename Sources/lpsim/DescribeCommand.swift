import Arithmetic
import ArgumentParser
import Documents
import Formats
import Hardware
import Simulator

/// `lpsim describe HARDWARE.yaml`: what a device can do, derived from its file.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Print a device's derived peaks per format, memory hierarchy and datapath cost."
    )

    @Argument(help: "A hardware YAML file or SCALE-Sim .cfg.")
    var file: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let model: HardwareModel
        do { model = try HardwareLoader.load(file) } catch let d as Diagnostic {
            var stderr = StandardError()
            print(d.description, to: &stderr)
            throw ExitCode(1)
        }
        let formats = model.executableFormats
        let datapath = DatapathCost(model: model)
        // Energy per MAC as simulate charges it: an FPGA's from its resources (FPGAPower), else the
        // datapath's MAC plus the device's per-MAC overhead; and the power at the peak rate with it.
        func charged(_ f: NumberFormat) -> Double {
            (model.spec as? FPGAFamily).flatMap { FPGAPower(model)?.macPicojoules(f, spec: $0) }
                ?? datapath.chargedPicojoules(f)
        }
        func fullLoad(_ f: NumberFormat) -> Double {
            (model.macsPerCycle(f) ?? 0) * model.clockHertz * charged(f) * 1e-12 + model.staticWatts
        }
        if json {
            print(JSON.object([
                ("name", .string(model.name)), ("family", .string(model.family)),
                ("source", model.source.map(JSON.string) ?? .null),
                ("clock_hz", .number(model.clockHertz)),
                ("technology", .object([("node_nm", .number(model.technology.nodeNanometres)),
                                        ("voltage_v", .number(model.technology.voltage)),
                                        ("scaling", .string(model.technology.provenance.rawValue))])),
                ("peak_ops_per_s", .object(formats.map { ($0.name, .number(model.peakOpsPerSecond($0) ?? 0)) })),
                ("memory", .array(model.memory.map { level in
                    .object([("name", .string(level.name)), ("kind", .string(level.kind.rawValue)),
                             ("capacity_bytes", .number(level.capacityBytes)),
                             ("bandwidth_bytes_per_s", .number(level.bandwidthBytesPerSecond)),
                             ("energy_per_byte_j", .number(level.energyPerByteJoules)),
                             ("holds", .array(level.holds.map { .string($0.rawValue) }))])
                })),
                ("multiplier", .string(model.datapath.multiplier.rawValue)),
                ("datapath", .array(formats.map { f in
                    let c = datapath.perMAC(f)
                    return .object([("format", .string(f.name)), ("mac_energy_pj", .number(c.energyPicojoules)),
                                    ("charged_mac_energy_pj", .number(charged(f))),
                                    ("mac_area_um2", .number(c.areaSquareMicrometres)),
                                    ("mac_delay_ns", .number(c.delayNanoseconds)),
                                    ("mac_pipeline_stages", .number(Double(c.pipelineStages(atClockHertz: model.clockHertz)))),
                                    ("array_area_mm2", .number(datapath.arrayAreaSquareMillimetres(f))),
                                    ("full_load_power_w", .number(fullLoad(f)))])
                })),
                ("warnings", .array(model.warnings.map(JSON.string))),
            ]).rendered())
            return
        }
        print("\(model.name) — \(model.family), \(model.technology), \(formatHertz(model.clockHertz))")
        if let source = model.source { print("source: \(source)") }
        print("")
        print(TextTable(header: ["format", "peak (dense)", "MAC energy (pJ)", "charged per MAC (pJ)", "MAC area (µm²)",
                                 "datapath (mm²)", "power at full load (W)"],
                        rows: formats.map { f in
            let c = datapath.perMAC(f)
            return [f.name, formatOps(model.peakOpsPerSecond(f) ?? 0), String(sci: c.energyPicojoules),
                    String(sci: charged(f)),
                    String(sci: c.areaSquareMicrometres), String(sci: datapath.arrayAreaSquareMillimetres(f)),
                    String(sci: fullLoad(f))]
        }).rendered())
        if let tdp = model.tdpWatts, case let over = formats.filter({ fullLoad($0) > tdp }), !over.isEmpty {
            print("above the \(String(sci: tdp)) W TDP at the peak rate: \(over.map(\.name).joined(separator: ", ")) "
                  + "(simulate lowers the clock of such ops to hold the TDP and says so)")
        }
        print("")
        print(TextTable(header: ["memory", "kind", "capacity", "bandwidth", "energy/byte", "holds"], rows: model.memory.map {
            [$0.name, $0.kind.rawValue, formatBytes($0.capacityBytes), formatBytes($0.bandwidthBytesPerSecond) + "/s",
             String(sci: $0.energyPerByteJoules * 1e12) + " pJ", $0.holds.map(\.rawValue).joined(separator: " ")]
        }).rendered())
        var stderr = StandardError()
        for warning in model.warnings { print(warning, to: &stderr) }
    }
}

func formatOps(_ x: Double) -> String {
    for (scale, unit) in [(1e15, "P"), (1e12, "T"), (1e9, "G")] where x >= scale {
        return String(format2: x / scale) + " \(unit)OP/s"
    }
    return String(format2: x) + " OP/s"
}

func formatHertz(_ x: Double) -> String { x >= 1e9 ? String(format2: x / 1e9) + " GHz" : String(format2: x / 1e6) + " MHz" }

func formatBytes(_ x: Double) -> String {
    for (scale, unit) in [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")] where x >= scale {
        return String(format2: x / scale) + " \(unit)"
    }
    return String(format2: x) + " B"
}
