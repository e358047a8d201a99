import ArgumentParser
import Documents
import Hardware

/// `lpsim validate FILE...`: check input files without running anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check hardware files; print every problem as FILE:LINE:COLUMN: error: KEY: message."
    )

    @Argument(help: "Files to check.")
    var files: [String]

    func run() throws {
        var stderr = StandardError()
        var failures = 0
        for file in files {
            do {
                let model = try HardwareLoader.load(file)
                for warning in model.warnings { print(warning, to: &stderr) }
                print("\(file): ok (\(model.family.rawValue): \(model.name))")
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
}
