import Foundation
import Testing

/// `lpsim report` on a hand-edited saved comparison: a figure compare never
/// writes (a negative latency) trapped in the summary rules (`Statements.ranked`,
/// "Unexpectedly found nil") instead of a positioned error.
@Suite("lpsim report refuses impossible figures")
struct SavedComparisonFigureTests {
    @Test("a negative or over-1 figure is an error at its field; nothing is written",
          arguments: [("seconds", -1.0, "must not be negative"), ("energyJoules", -0.5, "must not be negative"),
                      ("memoryBoundFraction", 1.5, "must be at most 1")])
    func refused(key: String, value: Double, message: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-saved-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let saved = LPSimProcess.packageRoot.appendingPathComponent("reports/llama2-decode-h100.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: saved)) as? [String: Any])
        var entries = try #require(object["entries"] as? [[String: Any]])
        entries[1][key] = value
        object["entries"] = entries
        let edited = dir.appendingPathComponent("edited.json")
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: edited)
        let output = dir.appendingPathComponent("r.md").path
        let r = try LPSimProcess.run(["report", edited.path, "--output", output])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(": error: entries[1].\(key): \(message)"), "\(r.stderr)")
        #expect(r.stderr.hasPrefix(edited.path + ":"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("every committed saved comparison still renders")
    func committed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-saved-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = LPSimProcess.packageRoot.appendingPathComponent("reports")
        let files = try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        for file in files {
            let r = try LPSimProcess.run(["report", reports.appendingPathComponent(file).path,
                                          "--output", dir.appendingPathComponent("r.md").path])
            #expect(r.status == 0, "\(file): \(r.stderr)")
        }
    }
}
