import ArgumentParser
import DesignSpace
import Documents
import Foundation

/// `lpsim sweep`: a design-space sweep (`run`, the default) and the merge of its shards.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Sweep hardware key paths, formats and workloads: one row per design point, Pareto fronts.",
        subcommands: [SweepRunCommand.self, SweepMergeCommand.self],
        defaultSubcommand: SweepRunCommand.self
    )
}

/// `lpsim sweep SPEC.yaml [--shard I/N] [--output DIR] [--quiet]`.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Evaluate every point of SPEC.yaml (or one shard) on every core; rows stream to DIR.")

    @Argument(help: "The sweep specification (YAML).") var spec: String
    @Option(help: "Evaluate only the points i with i % N == I (I in 0..<N), for a batch scheduler.") var shard: String?
    @Option(name: .shortAndLong, help: "The output directory (default: the specification's name beside it, -sweep).")
    var output: String?
    @Flag(help: "No progress output.") var quiet = false

    func run() throws {
        try reportingErrors {
            let parsedShard = try shard.map(Self.parseShard)
            let spec = try SweepSpec.load(self.spec)
            var stderr = StandardError()
            for w in spec.overrideWarnings { print(w, to: &stderr) }
            let evaluator = try SweepEvaluator(spec)
            let directory = output ?? (self.spec as NSString).deletingPathExtension + "-sweep"
            let runner = SweepRunner(evaluator: evaluator, shard: parsedShard, directory: directory)
            let progress = SweepProgress(quiet: quiet, total: runner.points)
            SweepInterrupt.install()
            let outcome = try blockingRun {
                try await runner.run(progress: { progress.update($0, $1) }, shouldStop: { SweepInterrupt.requested })
            }
            progress.finish()
            if outcome.interrupted {
                print("lpsim sweep: interrupted: \(outcome.rows) of \(outcome.points) points written to "
                      + "\(directory)/points.csv and points.jsonl (whole rows; sweep.json says complete: false); "
                      + "no report written", to: &stderr)
                throw ExitCode(130)
            }
            let counts = SweepRow.Status.allCases.compactMap { s in
                outcome.summary.counts[s].map { "\($0) \(s.rawValue)" }
            }
            if !quiet {
                print("lpsim sweep: \(outcome.rows) points (\(counts.joined(separator: ", "))) → \(directory)"
                      + (parsedShard == nil ? "/report.md" : " (shard; merge with 'lpsim sweep merge')"), to: &stderr)
            }
        }
    }

    static func parseShard(_ text: String) throws -> (index: Int, count: Int) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, (0..<n).contains(i) else {
            throw CommandLineError(message: "--shard: expected I/N with 0 ≤ I < N (such as 0/4), got '\(text)'")
        }
        return (i, n)
    }
}

/// `lpsim sweep merge DIR... [--output DIR]`.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shard directories of one sweep into what the unsharded run writes.")

    @Argument(help: "The shard output directories (every shard once, in any order).") var directories: [String]
    @Option(name: .shortAndLong, help: "The merged output directory.") var output: String = "sweep-merged"

    func run() throws {
        // A missing sweep.json, an output that cannot be a directory: Diagnostics, printed as every command does.
        try reportingErrors {
            do {
                let m = try SweepMerge.merge(directories, into: output)
                var stderr = StandardError()
                print("lpsim sweep merge: \(m.points) points from \(directories.count) shards → \(output)/report.md",
                      to: &stderr)
            } catch let e as SweepError {
                var stderr = StandardError()
                print(e.description, to: &stderr)
                throw ExitCode(1)
            }
        }
    }
}

/// Runs async work from a synchronous command and waits for it.
func blockingRun<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>(), done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// The result of a detached task, handed over through a semaphore.
final class ResultBox<T>: @unchecked Sendable { var result: Result<T, Error>? }
