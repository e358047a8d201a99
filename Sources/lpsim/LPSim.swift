import ArgumentParser

/// The `lpsim` command: it only wires the pipeline's modules together.
@main
struct LPSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lpsim",
        abstract: "A low-precision hardware simulator and cost model.",
        discussion: """
            Describe hardware in YAML, replay a quantized workload on it, and compare \
            number formats by latency, energy, area and numerical error.
            """,
        version: LPSimVersion.string,
        subcommands: [FormatsCommand.self, ConvertCommand.self, ErrorCommand.self, UnitsCommand.self, ValidateCommand.self, DescribeCommand.self, TraceCommand.self, SimulateCommand.self, DataflowCommand.self, CompareCommand.self, SearchCommand.self, ReportCommand.self, CheckModelsCommand.self, SchemaCommand.self, SweepCommand.self]
    )
}

enum LPSimVersion {
    static let string = "0.1.0"
}
