import Documents
import Foundation

/// Reads a SCALE-Sim `.cfg` (an INI file, as `scale_config.read_conf_file`
/// reads it with Python's configparser: `[section]`, `key: value` or
/// `key = value`, keys case-insensitive, `#`/`;` comments) into the same
/// hardware document a YAML file gives, so that `--hardware google.cfg`
/// and `extends: google.cfg` both work.
///
/// From the file: the array (`ArrayHeight`, `ArrayWidth`), `Dataflow`, the
/// three SRAM sizes (`*SramSzkB`, KiB as SCALE-Sim reads them: × 1024
/// bytes), `InterfaceBandwidth` and, in USER mode, each operand's DRAM
/// bandwidth in words per cycle (`IfmapSRAMBankBandwidth`,
/// `FilterSRAMBankBandwidth`, `Bandwidth`; `single_layer_sim.run`).
/// SCALE-Sim's words are one byte (`word_size = 1`).
///
/// What SCALE-Sim does not describe gets stated defaults, which a YAML
/// file that `extends:` the `.cfg` may change: node 45 nm at 0.9 V (the
/// node of lpsim's cost calibration), clock 1 GHz (SCALE-Sim counts
/// cycles), formats int8, int4, fp8_e4m3 and bf16 at one MAC per PE per
/// cycle (SCALE-Sim's model), an exact multiplier with a 32-bit wrapping
/// integer accumulator, SRAM at 2.5 pJ/B and DRAM at 163 pJ/B (Horowitz,
/// ISSCC 2014: 32 KB SRAM 20 pJ and DRAM 1.3 nJ per 64 bits), SRAM
/// bandwidth one byte per edge PE per cycle (estimate), DRAM capacity
/// 8 GiB (assumption) and, in CALC mode, DRAM bandwidth `Bandwidth` words
/// per cycle (used only by ops that are not matrix products). DRAM
/// bandwidths are written in bytes per second at the default clock: an
/// overlay that changes the clock keeps the bytes per second.
///
/// `[sparsity] SparsitySupport` becomes `systolic.structured_sparsity`: as
/// in SCALE-Sim, a topology's N:M column is honoured only when it is `true`.
///
/// Keys SCALE-Sim reads that change none of its cycle or access counts
/// (address offsets, request-buffer sizes, banks and ports outside a custom
/// layout, `SparseRep`, which only labels its sparse report, `BlockSize` and
/// the seed outside the optimized mapping, `UseRamulatorTrace`, which only
/// writes traces) are accepted. Settings that would change them but that
/// lpsim does not model (`IfmapCustomLayout` or `FilterCustomLayout` true,
/// `OptimizedMapping` true with sparsity on) are errors at their line, as is
/// any other key and a missing or malformed one.
public enum ScaleSimConfig {
    struct Entry { var value: String, line: Int, column: Int }

    /// Keys by section, lower-cased as configparser stores them; `true` marks the ones lpsim uses.
    static let known: [String: [String: Bool]] = [
        "general": ["run_name": true],
        "architecture_presets": [
            "arrayheight": true, "arraywidth": true, "ifmapsramszkb": true, "filtersramszkb": true,
            "ofmapsramszkb": true, "dataflow": true, "bandwidth": true, "ifmapoffset": false, "filteroffset": false,
            "ofmapoffset": false, "memorybanks": false, "readrequestbuffer": false, "writerequestbuffer": false,
            "onchipmemorybanks": false, "onchipmemorybankports": false, "topologycsvloc": false,
        ],
        "layout": [
            "ifmapsrambankbandwidth": true, "filtersrambankbandwidth": true, "ifmapcustomlayout": false,
            "ifmapsrambanknum": false, "ifmapsrambankport": false, "filtercustomlayout": false,
            "filtersrambanknum": false, "filtersrambankport": false,
        ],
        "sparsity": ["sparsitysupport": false, "sparserep": false, "optimizedmapping": false, "blocksize": false,
                     "randomnumbergeneratorseed": false],
        "run_presets": ["interfacebandwidth": true, "useramulatortrace": false],
        "network_presets": ["topologycsvloc": false],
    ]

    /// Parses `path` and returns the equivalent hardware YAML text.
    public static func yaml(path: String) throws -> String {
        let text = try decodeUTF8(try readInputFile(path), path: path)
        var sections: [String: [String: Entry]] = [:]
        var current: String?
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, rawLine) in lines.enumerated() {
            var line = rawLine
            if index == 0, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if line.hasSuffix("\r") { line.removeLast() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let number = index + 1
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw Diagnostic(file: path, line: number, column: indent + 1, message: "expected '[section]'")
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard known[name] != nil else {
                    throw Diagnostic(file: path, line: number, column: indent + 2, message:
                        "unknown section '\(name)': expected one of \(known.keys.sorted().joined(separator: ", "))")
                }
                // configparser's strict mode (SCALE-Sim's default) refuses a repeated section or key.
                guard sections[name] == nil else {
                    throw Diagnostic(file: path, line: number, column: indent + 2,
                                     message: "duplicate section '[\(name)]' (configparser refuses it)")
                }
                current = name
                sections[name] = [:]
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else {
                throw Diagnostic(file: path, line: number, column: indent + 1,
                                 message: "expected 'key: value' or 'key = value'")
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            guard let section = current else {
                throw Diagnostic(file: path, line: number, column: indent + 1, message: "'\(key)' before any [section]")
            }
            guard known[section]?[key] != nil else {
                throw Diagnostic(file: path, line: number, column: indent + 1, keyPath: section, message:
                    "unknown key '\(key)' in [\(section)]: expected one of "
                        + known[section]!.keys.sorted().joined(separator: ", "))
            }
            let afterSeparator = line[line.index(after: separator)...]
            let valueOffset = afterSeparator.prefix { $0 == " " || $0 == "\t" }.count
            let column = line.distance(from: line.startIndex, to: separator) + 2 + valueOffset
            if let first = sections[section]![key] {
                throw Diagnostic(file: path, line: number, column: indent + 1, keyPath: "\(section).\(key)",
                                 message: "duplicate key '\(key)' in [\(section)], first set at line \(first.line) "
                                    + "(configparser refuses it)")
            }
            sections[section]![key] = Entry(value: afterSeparator.trimmingCharacters(in: .whitespaces), line: number,
                                            column: column)
        }
        func entry(_ section: String, _ key: String) throws -> Entry {
            guard let e = sections[section]?[key] else {
                throw Diagnostic(file: path, line: max(1, lines.count), column: 1, keyPath: section,
                                 message: "missing '\(key)' in [\(section)] (SCALE-Sim requires it)")
            }
            return e
        }
        func integer(_ section: String, _ key: String) throws -> Int {
            let e = try entry(section, key)
            guard let v = Int(e.value), v >= 1, v <= 1 << 24 else {
                throw Diagnostic(file: path, line: e.line, column: e.column, keyPath: "\(section).\(key)",
                                 message: "expected a positive integer, got '\(e.value)'")
            }
            return v
        }
        let runName = sections["general"]?["run_name"]?.value ?? ((path as NSString).lastPathComponent as NSString)
            .deletingPathExtension
        let rows = try integer("architecture_presets", "arrayheight")
        let columns = try integer("architecture_presets", "arraywidth")
        let ifmapKB = try integer("architecture_presets", "ifmapsramszkb")
        let filterKB = try integer("architecture_presets", "filtersramszkb")
        let ofmapKB = try integer("architecture_presets", "ofmapsramszkb")
        let dataflowEntry = try entry("architecture_presets", "dataflow")
        guard ["os", "ws", "is"].contains(dataflowEntry.value) else {
            throw Diagnostic(file: path, line: dataflowEntry.line, column: dataflowEntry.column,
                             keyPath: "architecture_presets.dataflow",
                             message: "expected os, ws or is, got '\(dataflowEntry.value)'")
        }
        let modeEntry = try entry("run_presets", "interfacebandwidth")
        guard modeEntry.value == "USER" || modeEntry.value == "CALC" else {
            throw Diagnostic(file: path, line: modeEntry.line, column: modeEntry.column,
                             keyPath: "run_presets.interfacebandwidth",
                             message: "expected USER or CALC, got '\(modeEntry.value)'")
        }
        let user = modeEntry.value == "USER"
        // SCALE-Sim compares the sparsity flags with `.lower() == 'true'`: anything else, `yes` and `1`
        // included, is off (scale_config.py, `SparsitySupport`, `OptimizedMapping`).
        func sparsityFlag(_ key: String) -> Bool { sections["sparsity"]?[key]?.value.lowercased() == "true" }
        // configparser's getboolean words (SCALE-Sim reads the custom-layout flags with it).
        func layoutFlag(_ key: String) throws -> Bool {
            guard let e = sections["layout"]?[key] else { return false }
            switch e.value.lowercased() {
            case "1", "yes", "true", "on": return true
            case "0", "no", "false", "off": return false
            default:
                throw Diagnostic(file: path, line: e.line, column: e.column, keyPath: "layout.\(key)",
                                 message: "expected True or False, got '\(e.value)'")
            }
        }
        for key in ["ifmapcustomlayout", "filtercustomlayout"] where try layoutFlag(key) {
            let e = sections["layout"]![key]!
            throw Diagnostic(file: path, line: e.line, column: e.column, keyPath: "layout.\(key)",
                             message: "a custom SRAM layout is not modelled by lpsim (set it to False)")
        }
        let sparse = sparsityFlag("sparsitysupport")
        if sparse, sparsityFlag("optimizedmapping") {
            let e = sections["sparsity"]!["optimizedmapping"]!
            throw Diagnostic(file: path, line: e.line, column: e.column, keyPath: "sparsity.optimizedmapping",
                             message: "SCALE-Sim's optimized sparse mapping is not modelled by lpsim; "
                                + "only its plain N:M mapping is (set it to False)")
        }
        // `Bandwidth` may list several values (SCALE-Sim takes the first for the ofmap channel).
        let bandwidthEntry = try entry("architecture_presets", "bandwidth")
        guard let first = bandwidthEntry.value.split(separator: ",").first,
              let ofmapWords = Int(first.trimmingCharacters(in: .whitespaces)), ofmapWords >= 1 else {
            throw Diagnostic(file: path, line: bandwidthEntry.line, column: bandwidthEntry.column,
                             keyPath: "architecture_presets.bandwidth",
                             message: "expected words per cycle (a positive integer), got '\(bandwidthEntry.value)'")
        }
        let ifmapWords = user ? try integer("layout", "ifmapsrambankbandwidth") : 10
        let filterWords = user ? try integer("layout", "filtersrambankbandwidth") : 10
        let clock = 1e9
        func gbps(_ wordsPerCycle: Int) -> String { "\(Double(wordsPerCycle) * clock / 1e9) GB/s" }
        let quotedName = "SCALE-Sim \(runName)".replacingOccurrences(of: "\"", with: "'")
        let quotedFile = (path as NSString).lastPathComponent.replacingOccurrences(of: "\"", with: "'")
        return """
            name: "\(quotedName)"
            family: systolic
            source: "SCALE-Sim configuration \(quotedFile) (lpsim's stated defaults for node, clock, energies, formats)"
            technology:
              node: 45 nm
              voltage: 0.9 V
            clock: 1 GHz
            memory:
              - name: scratchpads
                kind: sram
                capacity: \(ifmapKB + filterKB + ofmapKB) KiB
                bandwidth: \(gbps(rows + 2 * columns))
                energy_per_byte: 2.5 pJ/B
              - name: DRAM
                kind: dram
                capacity: 8 GiB
                bandwidth: \(gbps(user ? ifmapWords + filterWords + ofmapWords : ofmapWords))
                energy_per_byte: 163 pJ/B
            datapath:
              formats: [int8, int4, fp8_e4m3, bf16]
              multiplier: exact
              accumulator:
                kind: int
                bits: 32
                overflow: wrap
            systolic:
              rows: \(rows)
              columns: \(columns)
              dataflow: \(dataflowEntry.value)
              structured_sparsity: \(sparse)
              buffers:
                ifmap: \(ifmapKB) KiB
                filter: \(filterKB) KiB
                ofmap: \(ofmapKB) KiB
              macs_per_pe_per_clock:
                int8: 1
                int4: 1
                fp8_e4m3: 1
                bf16: 1
              dram:
                mode: \(user ? "user" : "calc")
                ifmap: \(gbps(ifmapWords))
                filter: \(gbps(filterWords))
                ofmap: \(gbps(ofmapWords))

            """
    }
}
