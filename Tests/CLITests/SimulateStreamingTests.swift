import Foundation
import Testing

/// `simulate` streams its ops through a scratch file (issue 16): what it
/// leaves behind, and what it does when the scratch file cannot be made.
@Suite("lpsim simulate streaming")
struct SimulateStreamingTests {
    /// Runs lpsim with `TMPDIR` set, in the package root; (status, stdout, stderr).
    func run(_ arguments: [String], tmpdir: String) throws -> (Int32, Data, String) {
        let process = Process()
        process.executableURL = LPSimProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = LPSimProcess.packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = tmpdir
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, String(decoding: stderr, as: UTF8.self))
    }

    func scratch() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        return d
    }

    @Test("-o writes the bytes standard output gets, and leaves nothing in its directory or $TMPDIR but the output",
          arguments: ["--json", "--csv"])
    func nothingLeft(flag: String) throws {
        let d = try scratch()
        defer { try? FileManager.default.removeItem(at: d) }
        let tmp = d.appendingPathComponent("tmp").path, file = d.appendingPathComponent("out").path
        let args = ["simulate", "--hardware", "hardware/scale-sim-32x32.yaml", "--workload", "workloads/resnet18.yaml",
                    "--precision", "int8", flag]
        let (status, stdout, stderr) = try run(args, tmpdir: tmp)
        #expect(status == 0, "\(stderr)")
        let (written, _, _) = try run(args + ["-o", file], tmpdir: tmp)
        #expect(written == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == stdout && stdout.count > 10_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: d.path).sorted() == ["out", "tmp"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
    }

    @Test("a $TMPDIR where no scratch file can be made is an error that writes nothing", arguments: ["--json", "--csv"])
    func noScratch(flag: String) throws {
        let d = try scratch()
        defer { try? FileManager.default.removeItem(at: d) }
        let file = d.appendingPathComponent("out.json").path
        for args in [[flag], [flag, "-o", file]] {
            let (status, stdout, stderr) = try run(["simulate", "--hardware", "hardware/nvidia-h100-sxm5.yaml", "--workload",
                                                    "workloads/resnet18.yaml"] + args,
                                                   tmpdir: d.appendingPathComponent("missing").path)
            #expect(status != 0 && stdout.isEmpty)
            #expect(stderr.contains("missing: error: cannot make a scratch file for op results"), "\(stderr)")
            #expect(!FileManager.default.fileExists(atPath: file))
        }
    }
}
