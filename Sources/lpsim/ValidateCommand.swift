import ArgumentParser
import Documents
import Foundation
import Hardware
import Workload

/// `lpsim validate FILE...`: check input files without running anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check hardware files (YAML or SCALE-Sim .cfg), traces (YAML, JSON Lines, SCALE-Sim CSV), precision plans and config.json files.",
        discussion: "Each problem prints as FILE:LINE:COLUMN: error: KEY: message; the exit status is non-zero if any file fails."
    )

    @Argument(help: "Files to check.")
    var files: [String]

    func run() throws {
        var stderr = StandardError()
        var failures = 0
        for file in files {
            do {
                print("\(file): ok (\(try Self.check(file, warnings: &stderr)))")
            } catch let d as Diagnostic {
                failures += 1
                print(d.description, to: &stderr)
            } catch {
                failures += 1
                print("\(file): error: \(error)", to: &stderr)
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Checks one file by what it is; returns a one-line description.
    static func check(_ file: String, warnings: inout StandardError) throws -> String {
        let ext = (file as NSString).pathExtension.lowercased()
        if ext == "json" {
            let c = try TransformerConfig.load(file)
            return "config: \(c.modelType), \(c.layers) layers, hidden \(c.hidden)"
        }
        if ext == "jsonl" || ext == "ndjson" || ext == "csv" {
            var count = 0
            try TraceReader.stream(file, header: { _ in }, op: { _ in count += 1 })
            return "trace: \(count) ops"
        }
        if ext == "cfg" {
            let model = try HardwareLoader.load(file)   // a SCALE-Sim configuration
            return "\(model.family): \(model.name)"
        }
        // YAML: a device has a family (or extends one), a plan a default; anything else is a trace.
        let root = try YAMLDocument(path: file).root.mapping()
        if root["family"] != nil || root["extends"] != nil {
            let model = try HardwareLoader.load(file)
            for warning in model.warnings { print(warning, to: &warnings) }
            return "\(model.family): \(model.name)"
        }
        if root["default"] != nil || root["overrides"] != nil {
            let plan = try PrecisionPlan.load(file)
            return "precision plan '\(plan.name)', \(plan.overrides.count) overrides"
        }
        return "trace: \(try TraceReader.load(file).ops.count) ops"
    }
}
