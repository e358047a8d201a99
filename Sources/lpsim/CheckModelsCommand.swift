import ArgumentParser
import Documents
import Reports

/// `lpsim check-models`: lpsim's figures beside the published ones.
struct CheckModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-models",
        abstract: "Write a model-validation report: lpsim's figures beside published ones, with errors and pass/fail.")

    @Option(help: "The directory of shipped hardware files.") var hardwareDirectory = "hardware"
    @Option(name: .shortAndLong, help: "The Markdown report to write.") var output: String

    func run() throws {
        try reportingErrors {
            // The output is checked before the minutes of checks, not after them.
            try checkDistinctOutputs([output])
            let md = try ModelValidation.markdown(hardwareDirectory: hardwareDirectory, command: commandLine(), version: LPSimVersion.string)
            try writeAtomically(md, to: output)
        }
    }
}
