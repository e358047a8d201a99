import Foundation
import Testing

/// `lpsim sweep --output` naming an existing file (or a path through one):
/// Foundation's "Error Domain=NSCocoaErrorDomain Code=516 …" reached the user,
/// without the file's name in lpsim's `FILE: error:` form; so did `sweep merge` of a
/// directory without its `sweep.json` (Code=260, "The file doesn’t exist").
@Suite("lpsim sweep --output that cannot be a directory")
struct SweepOutputDirectoryTests {
    @Test("an existing file, or a path through one, is a FILE: error; the file is untouched")
    func refused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-sweep-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("results").path
        try "keep me\n".write(toFile: file, atomically: true, encoding: .utf8)
        for (output, message) in [(file, "cannot write the sweep's outputs here: it is a file, expected a directory"),
                                  (file + "/sub", "cannot make the output directory: '\(file)' is a file")] {
            let r = try LPSimProcess.run(["sweep", "Tests/CLITests/Fixtures/sweep/small.yaml", "--output", output,
                                          "--quiet"])
            #expect(r.status == 1, "\(r.stderr)")
            #expect(r.stderr.hasPrefix("\(output): error: \(message)"), "\(r.stderr)")
            #expect(!r.stderr.contains("NSCocoaErrorDomain"))
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")
    }

    @Test("sweep merge of a directory without sweep.json, or with a broken one, is a FILE: error")
    func mergeWithoutManifest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try LPSimProcess.run(["sweep", "merge", dir.path, "--output", dir.path + "/out"])
        #expect(missing.status == 1, "\(missing.stderr)")
        #expect(missing.stderr.hasPrefix("\(dir.path)/sweep.json: error: "), "\(missing.stderr)")
        try "{not json".write(to: dir.appendingPathComponent("sweep.json"), atomically: true, encoding: .utf8)
        let broken = try LPSimProcess.run(["sweep", "merge", dir.path, "--output", dir.path + "/out"])
        #expect(broken.status == 1, "\(broken.stderr)")
        #expect(broken.stderr.contains("sweep.json: error: not a sweep manifest"), "\(broken.stderr)")
        for r in [missing, broken] { #expect(!r.stderr.contains("NSCocoaErrorDomain"), "\(r.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
    }
}
