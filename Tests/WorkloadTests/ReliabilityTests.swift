import Documents
import Foundation
import Testing
@testable import Workload

/// Issue 16: one number grammar, strict JSON, checked sizes, linear globs and
/// safe outputs. The whole-command cases (exit status, files left behind,
/// memory and time bounds) are in the hostile corpus, scripts/hostile/corpus.py.
@Suite("Reliability: one grammar, strict JSON, checked sizes")
struct ReliabilityTests {
    @Test("integers: digits only, exact to Int64, the same rule for every spelling")
    func integers() {
        #expect(NumberGrammar.integer("9007199254740993") == .value(9_007_199_254_740_993))
        #expect(NumberGrammar.integer("9223372036854775807") == .value(.max))
        #expect(NumberGrammar.integer("-9223372036854775808") == .value(.min))
        #expect(NumberGrammar.integer("9223372036854775808") == .outOfRange)
        #expect(NumberGrammar.integer("-9223372036854775809") == .outOfRange)
        for spelling in ["1e5", "100000.0", "+5", "007", "0x10", "1_000", "", "-", "64 ", " 64", "6\u{0}4"] {
            #expect(NumberGrammar.integer(spelling) == .notAnInteger, "\(spelling)")
        }
        #expect(NumberGrammar.integer("0") == .value(0))
        #expect(NumberGrammar.integer("-0") == .value(0))
    }

    @Test("reals: JSON's spelling, finite as a double")
    func reals() {
        #expect(NumberGrammar.real("1.5e3") == .value(1500))
        #expect(NumberGrammar.real("1e400") == .outOfRange)
        #expect(NumberGrammar.real("-1e400") == .outOfRange)
        for spelling in ["inf", "nan", ".5", "5.", "+1", "0x1p3", "1e", "01.5"] {
            #expect(NumberGrammar.real(spelling) == .notANumber, "\(spelling)")
        }
    }

    func parse(_ text: String) throws(JSONScanner.Failure) -> JSONScanner.Value {
        var scanner = JSONScanner(Array(text.utf8))
        return try scanner.parseDocument().0
    }

    @Test("JSON: surrogate pairs decode, lone surrogates and duplicate keys are errors, a BOM is skipped")
    func json() throws {
        guard case .string(let s) = try parse(#""a\ud83d\ude00\u00e9\/""#) else { Issue.record("not a string"); return }
        #expect(s == "a\u{1F600}é/")
        #expect(throws: JSONScanner.Failure.self) { try parse(#""\ud83d""#) }
        #expect(throws: JSONScanner.Failure.self) { try parse(#""\ude00x""#) }
        #expect(throws: JSONScanner.Failure.self) { try parse(#"{"a": 1, "a": 2}"#) }
        #expect(throws: JSONScanner.Failure.self) { try parse("1e400") }
        #expect(throws: JSONScanner.Failure.self) { try parse("+1") }
        guard case .object(let fields) = try parse("\u{FEFF}{\"a\": 9007199254740993}") else { Issue.record("BOM"); return }
        #expect(fields.first?.value.integer == .value(9_007_199_254_740_993))
    }

    @Test("a convolution whose padding overflows 64 bits is a shape error, not a trap")
    func convPaddingOverflow() {
        let op = Op(name: "c", kind: .conv2d, dims: ["c": 3, "h": 8, "w": 8, "k": 4, "r": 3, "s": 3, "padding": 1 << 62])
        #expect(throws: ShapeError.self) { try op.counts() }
        let dilated = Op(name: "d", kind: .conv2d, dims: ["c": 3, "h": 8, "w": 8, "k": 4, "r": 3, "s": 3, "dilation": .max])
        #expect(throws: ShapeError.self) { try dilated.counts() }
        let norm = Op(name: "n", kind: .norm, dims: ["rows": 1, "columns": 1 << 32, "affine": 1 << 32])
        #expect(throws: ShapeError.self) { try norm.counts() }
    }

    /// The definition of a glob as a table: `m[i][j]` says whether the first
    /// `i` pattern characters match the first `j` text characters.
    func reference(_ p: [Character], _ t: [Character]) -> Bool {
        var m = [[Bool]](repeating: [Bool](repeating: false, count: t.count + 1), count: p.count + 1)
        m[0][0] = true
        for i in 1...max(1, p.count) where i <= p.count {
            for j in 0...t.count {
                if p[i - 1] == "*" {
                    m[i][j] = m[i - 1][j] || (j > 0 && m[i][j - 1])
                } else if j > 0 {
                    m[i][j] = m[i - 1][j - 1] && (p[i - 1] == "?" || p[i - 1] == t[j - 1])
                }
            }
        }
        return m[p.count][t.count]
    }

    @Test("globs: the linear matcher agrees with the definition on seeded random cases, long patterns included")
    func globs() {
        var state: UInt64 = 0x16
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let alphabet: [Character] = ["a", "b", "é", "*", "?"]
        for round in 0..<3000 {
            let long = round % 10 == 0
            let p = (0..<next(long ? 90 : 7)).map { _ in alphabet[next(5)] }
            let t = (0..<next(long ? 100 : 9)).map { _ in alphabet[next(3)] }
            #expect(GlobPattern(String(p)).matches(String(t)) == reference(p, t), "\(String(p)) vs \(String(t))")
        }
        #expect(GlobPattern("layers.*.attn.?_proj").matches("layers.3.attn.q_proj"))
        #expect(!GlobPattern("*a*a*a*a*b").matches(String(repeating: "a", count: 100_000)))
    }
}

@Suite("Reliability: outputs")
struct OutputSafetyTests {
    let directory: String = {
        let d = NSTemporaryDirectory() + "lpsim-out-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    func entries() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted() ?? [] }

    @Test("a symbolic link is written through and kept; a dangling one, a read-only file and a trailing slash are refused")
    func links() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = directory + "/real.txt", link = directory + "/link.txt"
        try writeAtomically("old", to: target)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.txt")
        try writeAtomically("new", to: link)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect((try FileManager.default.attributesOfItem(atPath: link))[.type] as? FileAttributeType == .typeSymbolicLink)
        try FileManager.default.createSymbolicLink(atPath: directory + "/dangling.txt", withDestinationPath: "nowhere")
        #expect(throws: Diagnostic.self) { try writeAtomically("x", to: directory + "/dangling.txt") }
        try writeAtomically("keep", to: directory + "/ro.txt")
        chmod(directory + "/ro.txt", 0o444)
        #expect(throws: Diagnostic.self) { try writeAtomically("x", to: directory + "/ro.txt") }
        #expect(try String(contentsOfFile: directory + "/ro.txt", encoding: .utf8) == "keep")
        #expect(throws: Diagnostic.self) { try writeAtomically("x", to: directory + "/out.txt/") }
        #expect(entries() == ["dangling.txt", "link.txt", "real.txt", "ro.txt"])
    }

    @Test("a 255-byte name is written (the temporary name fits NAME_MAX); the target's mode is kept")
    func longNameAndMode() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let name = directory + "/" + String(repeating: "n", count: 251) + ".txt"
        try writeAtomically("x", to: name)
        try writeAtomically("y", to: name)
        chmod(name, 0o640)
        try writeAtomically("z", to: name)
        #expect((try FileManager.default.attributesOfItem(atPath: name))[.posixPermissions] as? Int == 0o640)
        #expect(entries().count == 1)
    }

    @Test("an input of this process is never written over, whatever its spelling; /dev/null stays a device")
    func inputs() throws {
        defer { try? FileManager.default.removeItem(atPath: directory); FileRegistry.reset() }
        let input = directory + "/in.yaml"
        try writeAtomically("a: 1\n", to: input)
        _ = try readInputFile(input)
        #expect(throws: Diagnostic.self) { try writeAtomically("x", to: directory + "/./in.yaml") }
        #expect(throws: Diagnostic.self) { try checkDistinctOutputs([directory + "/r.md", directory + "/../" +
                                                                    (directory as NSString).lastPathComponent + "/r.md"]) }
        // Only where /dev/null is the device it should be (never replace a broken one further).
        var info = stat()
        if stat("/dev/null", &info) == 0, info.st_mode & S_IFMT == S_IFCHR {
            try writeAtomically("discarded", to: "/dev/null")
            #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        }
    }
}
