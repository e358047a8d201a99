import Foundation
import Testing

/// Unknown keys are errors in a saved comparison too: the decoder ignored them, so a misspelt optional
/// field vanished without a word.
@Suite("lpsim report refuses unknown keys")
struct SavedComparisonKeyTests {
    @Test("a misspelt key, at the top or in an entry, is an error at that key with a hint; nothing is written",
          arguments: [(nil as Int?, "parameter", ": error: unknown key 'parameter'; did you mean 'parameters'?"),
                      (1, "bitsPerWeigth",
                       ": error: entries[1]: unknown key 'bitsPerWeigth'; did you mean 'bitsPerWeight'?")])
    func refused(entry: Int?, key: String, message: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let saved = LPSimProcess.packageRoot.appendingPathComponent("reports/llama2-decode-h100.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: saved)) as? [String: Any])
        if let i = entry {
            var entries = try #require(object["entries"] as? [[String: Any]])
            entries[i][key] = 4.0
            object["entries"] = entries
        } else {
            object[key] = 7
        }
        let edited = dir.appendingPathComponent("edited.json")
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: edited)
        let output = dir.appendingPathComponent("r.md").path
        let r = try LPSimProcess.run(["report", edited.path, "--output", output])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.hasPrefix(edited.path + ":"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
