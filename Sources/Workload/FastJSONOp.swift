import Foundation
import Formats

/// The fast path for one JSON Lines op: parses the common, valid case
/// straight from bytes into an `Op` — no value tree, no strings for keys,
/// integers parsed by hand — and returns nil for anything unusual (an
/// escape, a float, a header, an invalid field). The caller then runs the
/// general reader, which reproduces any error with its exact position, so
/// the fast path never decides what is an error.
///
/// A struct with mutating methods rather than closures over a cursor: the
/// compiler then checks exclusive access statically instead of at run time.
struct FastJSONOp {
    /// Key and value spellings as bytes, built once and handed to each scanner
    /// (reading static lets in the loop would pay a `swift_once` check each time).
    final class Words: Sendable {
        /// Dimension names packed as length and first seven bytes: all distinct, compared as integers.
        let dimensions: [(packed: UInt64, key: DimensionKey, bytes: [UInt8])] = DimensionKey.allCases.map {
            (Words.pack(Array($0.rawValue.utf8)[...]), $0, Array($0.rawValue.utf8))
        }

        /// An open-addressing table over `dimensions` by packed name (index,
        /// or -1): one multiply and usually one compare per dimension key,
        /// rather than a scan of every name.
        let dimensionTable: [Int8]
        static let tableBits = 7

        init() {
            var table = [Int8](repeating: -1, count: 1 << Words.tableBits)
            for (index, entry) in dimensions.enumerated() {
                var slot = Words.slot(entry.packed)
                while table[slot] >= 0 { slot = (slot + 1) & (table.count - 1) }
                table[slot] = Int8(index)
            }
            dimensionTable = table
        }

        @inline(__always) static func slot(_ packed: UInt64) -> Int {
            Int(truncatingIfNeeded: (packed &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - tableBits))
        }

        /// The index in `dimensions` of the name packed as `packed`, if any.
        @inline(__always) func dimension(packed: UInt64) -> Int? {
            var slot = Words.slot(packed)
            while true {
                let index = Int(dimensionTable[slot])
                if index < 0 { return nil }
                if dimensions[index].packed == packed { return index }
                slot = (slot + 1) & (dimensionTable.count - 1)
            }
        }

        static func pack(_ bytes: ArraySlice<UInt8>) -> UInt64 {
            var packed = UInt64(bytes.count) << 56
            for (j, b) in bytes.prefix(7).enumerated() { packed |= UInt64(b) << UInt64(8 * j) }
            return packed
        }
        let kinds: [(bytes: [UInt8], kind: OpKind)] = OpKind.allCases.map { (Array($0.rawValue.utf8), $0) }
        let name = Array("name".utf8), kind = Array("kind".utf8), repeatKey = Array("repeat".utf8)
        let blockSize = Array("block_size".utf8), sparsity = Array("sparsity".utf8), formats = Array("formats".utf8)
        let twoFour = Array("2:4".utf8), dense = Array("dense".utf8)
        /// Per kind (by `allCases` order): required and allowed dimension bits.
        let masks: [(needed: UInt64, allowed: UInt64)] = OpKind.allCases.map { kind in
            let (required, optional) = kind.dimensions
            let needed = required.reduce(UInt64(0)) { $0 | 1 << UInt64($1.offset) }
            return (needed, optional.reduce(needed) { $0 | 1 << UInt64($1.0.offset) })
        }
    }

    /// The formats of the spellings seen so far, each resolved once (a catalog lookup lowercases and copies).
    final class FormatNames {
        var canonical: [String: NumberFormat] = [:]
        /// The text of the last formats object parsed, and its value.
        var lastObject: [UInt8] = []
        var lastFormats: [OperandRole: NumberFormat] = [:]
        func lookUp(_ name: String) -> NumberFormat? {
            if let known = canonical[name] { return known }
            guard let found = try? FormatCatalog.format(named: name) else { return nil }
            canonical[name] = found
            return found
        }
    }

    let b: UnsafeBufferPointer<UInt8>
    let words: Words
    let formatNames: FormatNames
    var i = 0

    /// Parses one op line and hands the op to `body`; false (and `body` not
    /// called) when the line is not the common, valid case. Handing the op on
    /// rather than returning an optional saves copying it twice per line.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, index: Int, words: Words, formatNames: FormatNames,
                      then body: (Op) throws -> Void) rethrows -> Bool {
        var scanner = FastJSONOp(b: bytes, words: words, formatNames: formatNames)
        return try scanner.op(index: index, then: body)
    }

    @inline(__always) mutating func skip() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D { i += 1 }
    }

    @inline(__always) mutating func expect(_ c: UInt8) -> Bool {
        skip()
        if i < b.count && b[i] == c { i += 1; return true }
        return false
    }

    /// A string without escapes or non-ASCII bytes, as a byte range.
    mutating func rawString() -> Range<Int>? {
        guard expect(0x22) else { return nil }
        let start = i
        while i < b.count, b[i] != 0x22 {
            if b[i] == 0x5C || b[i] < 0x20 || b[i] >= 0x80 { return nil }
            i += 1
        }
        guard i < b.count else { return nil }
        i += 1
        return start..<(i - 1)
    }

    mutating func string() -> String? {
        guard let r = rawString() else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
    }

    mutating func integer() -> Int? {
        skip()
        var negative = false
        if i < b.count, b[i] == 0x2D { negative = true; i += 1 }
        var value = 0, digits = 0
        // A leading zero (`007`) is no integer (NumberGrammar): the general path says so.
        if i + 1 < b.count, b[i] == 0x30, b[i + 1] >= 0x30, b[i + 1] <= 0x39 { return nil }
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(b[i] - 0x30))
            if o1 || o2 { return nil }
            value = a
            digits += 1
            i += 1
        }
        if digits == 0 || (i < b.count && (b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45)) { return nil }
        return negative ? -value : value
    }

    func equals(_ r: Range<Int>, _ word: [UInt8]) -> Bool {
        guard r.count == word.count else { return false }
        for j in 0..<word.count where b[r.lowerBound + j] != word[j] { return false }
        return true
    }

    mutating func op(index: Int, then body: (Op) throws -> Void) rethrows -> Bool {
        guard expect(0x7B) else { return false }
        var name: String?, kind: OpKind?, kindNumber = 0, repeatCount = 1, blockSize: Int?, sparse = false
        var formats: [OperandRole: NumberFormat] = [:]
        var dims = Dimensions()
        var given: UInt64 = 0
        if expect(0x7D) { return false }
        repeat {
            guard let key = rawString(), expect(0x3A) else { return false }
            if equals(key, words.name) {
                // `rawString` passes printable ASCII and DEL; a blank name, or one with DEL (a control
                // character), is refused by the general path at its position (`NameRule`).
                guard let s = string(), s.utf8.contains(where: { $0 != 0x20 }), !s.utf8.contains(0x7F) else {
                    return false
                }
                name = s
            } else if equals(key, words.kind) {
                guard let r = rawString() else { return false }
                for (index, entry) in words.kinds.enumerated() where equals(r, entry.bytes) {
                    kind = entry.kind; kindNumber = index; break
                }
                guard kind != nil else { return false }
            } else if equals(key, words.repeatKey) {
                guard let v = integer(), v >= 1 else { return false }
                repeatCount = v
            } else if equals(key, words.blockSize) {
                guard let v = integer(), v >= 1 else { return false }
                blockSize = v
            } else if equals(key, words.sparsity) {
                guard let s = rawString() else { return false }
                if equals(s, words.twoFour) { sparse = true } else if !equals(s, words.dense) { return false }
            } else if equals(key, words.formats) {
                skip()
                // Ops of a trace mostly repeat one formats object: when its text is
                // the previous one's, so is its value (the object ends at its brace).
                let last = formatNames.lastObject
                if !last.isEmpty, b.count - i >= last.count, memcmp(b.baseAddress! + i, last, last.count) == 0 {
                    i += last.count
                    formats = formatNames.lastFormats
                    continue
                }
                let start = i
                guard expect(0x7B) else { return false }
                if !expect(0x7D) {
                    repeat {
                        guard let role = string().flatMap(OperandRole.init(rawValue:)), expect(0x3A), let f = string(),
                              let canonical = formatNames.lookUp(f) else { return false }
                        guard formats.updateValue(canonical, forKey: role) == nil else { return false }
                    } while expect(0x2C)
                    guard expect(0x7D) else { return false }
                }
                formatNames.lastObject = Array(b[start..<i])
                formatNames.lastFormats = formats
            } else {
                var packed = UInt64(key.count) << 56
                for j in 0..<min(7, key.count) { packed |= UInt64(b[key.lowerBound + j]) << UInt64(8 * j) }
                // The packing keeps seven bytes; longer names are confirmed whole.
                guard let entry = words.dimension(packed: packed),
                      key.count <= 7 || equals(key, words.dimensions[entry].bytes),
                      let v = integer() else { return false }
                let d = words.dimensions[entry].key
                let bit = UInt64(1) << UInt64(d.offset)
                guard v >= (d.allowsZero ? 0 : 1), !d.isFlag || v <= 1, given & bit == 0 else { return false }
                dims[d] = v
                given |= bit
            }
        } while expect(0x2C)
        guard expect(0x7D) else { return false }
        skip()
        guard i == b.count, let kind else { return false }
        let (needed, allowed) = words.masks[kindNumber]
        guard given & ~allowed == 0, given & needed == needed else { return false }
        if kind == .attentionQK || kind == .attentionPV, given & (1 << UInt64(DimensionKey.kvHeads.offset)) != 0,
           dims[.kvHeads] == 0 {
            return false
        }
        let mask = given
        let op = Op(givenName: name, index: index, kind: kind, dimensions: dims,
                    given: { mask & (1 << UInt64($0.offset)) != 0 }, repeatCount: repeatCount,
                    formats: formats, blockSize: blockSize, sparse24: sparse)
        guard let counts = try? op.counts(), !counts.macs.multipliedReportingOverflow(by: Int64(repeatCount)).overflow
        else { return false }
        try body(op)
        return true
    }
}
