/// A shell-style glob (`*` any run, `?` one character, anything else
/// itself) matched in time linear in the text: the pattern is an NFA whose
/// states are bits (Shift-And), so each character of the name costs one
/// table look-up and a few word operations per 64 pattern characters, never
/// the backtracking that made `*a*a*a*b` quadratic.
///
/// Characters are Unicode scalars, as `?` has always meant one character of
/// an op name in lpsim's plans.
public struct GlobPattern: Sendable, Hashable {
    public let pattern: String
    /// 64-bit words per state set (pattern positions, stars collapsed, plus the accepting one).
    let words: Int
    /// Per ASCII byte, the positions it may advance from (a word array per byte, flattened).
    let ascii: [UInt64]
    /// The same for non-ASCII scalars that occur in the pattern.
    let other: [UInt32: [UInt64]]
    /// Positions any character advances from (`?`).
    let anyMask: [UInt64]
    /// Star positions: they stay active on any character.
    let starMask: [UInt64]
    let length: Int
    /// The pattern's text after its last star (or the whole pattern if it has
    /// none) where it is ASCII without `?`: the name must end in exactly these
    /// bytes, a quick necessary check before the scan.
    let asciiTail: [UInt8]?
    let tailIsWhole: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        let tail = pattern.utf8.reversed().prefix { $0 != UInt8(ascii: "*") }.reversed()
        asciiTail = tail.isEmpty || tail.contains { $0 >= 0x80 || $0 == UInt8(ascii: "?") } ? nil : Array(tail)
        tailIsWhole = !pattern.utf8.contains(UInt8(ascii: "*"))
        var items: [Unicode.Scalar?] = []   // nil for '?'
        var stars: [Bool] = []
        for scalar in pattern.unicodeScalars {
            if scalar == "*" {
                if stars.last == true { continue }
                items.append(nil); stars.append(true)
            } else {
                items.append(scalar == "?" ? nil : scalar); stars.append(false)
            }
        }
        length = items.count
        let words = (length + 1 + 63) / 64
        self.words = words
        func mask(_ positions: [Int]) -> [UInt64] {
            var m = [UInt64](repeating: 0, count: words)
            for p in positions { m[p / 64] |= 1 << UInt64(p % 64) }
            return m
        }
        let question = items.indices.filter { items[$0] == nil && !stars[$0] }
        let anyMask = mask(question)
        self.anyMask = anyMask
        starMask = mask(items.indices.filter { stars[$0] })
        var ascii = [UInt64](repeating: 0, count: 128 * words)
        var other: [UInt32: [UInt64]] = [:]
        for (i, item) in items.enumerated() {
            guard let s = item, !stars[i] else { continue }
            if s.value < 128 { ascii[Int(s.value) * words + i / 64] |= 1 << UInt64(i % 64) } else {
                other[s.value, default: mask(question)][i / 64] |= 1 << UInt64(i % 64)
            }
        }
        for c in 0..<128 { for w in 0..<words { ascii[c * words + w] |= anyMask[w] } }
        self.ascii = ascii
        self.other = other
    }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        if words == 1 {
            var text = text
            return text.withUTF8 { matchesOneWord($0) }
        }
        return matchesManyWords(text)
    }

    /// The common case, a pattern of at most 63 positions: the state is one
    /// word and ASCII bytes index the table directly.
    func matchesOneWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // A pattern ending in ASCII text (`*_proj`) rejects most names by their last bytes: checked first.
        if let tail = asciiTail {
            guard bytes.count >= tail.count else { return false }
            let offset = bytes.count - tail.count
            for k in 0..<tail.count where bytes[offset + k] != tail[k] { return false }
            return tailIsWhole ? bytes.count == tail.count : matchesScan(bytes)
        }
        return matchesScan(bytes)
    }

    func matchesScan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        ascii.withUnsafeBufferPointer { table in matchesScan(bytes, table) }
    }

    func matchesScan(_ bytes: UnsafeBufferPointer<UInt8>, _ ascii: UnsafeBufferPointer<UInt64>) -> Bool {
        let star = starMask[0], anyBits = anyMask[0]
        var state: UInt64 = 1
        state |= (state & star) << 1
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let advance: UInt64
            if b < 0x80 {
                advance = ascii[Int(b)]
                i += 1
            } else {
                // Decode one scalar of valid UTF-8 (a Swift string's storage is valid).
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                var v = UInt32(b) & (0xFF >> UInt32(length + 1))
                for k in 1..<length where i + k < n { v = v << 6 | UInt32(bytes[i + k] & 0x3F) }
                advance = other[v]?[0] ?? anyBits
                i += length
            }
            state = (state & advance) << 1 | (state & star)
            if state == 0 { return false }
            state |= (state & star) << 1
        }
        return state & (1 << UInt64(length)) != 0
    }

    func matchesManyWords(_ text: String) -> Bool {
        var state = [UInt64](repeating: 0, count: words)
        state[0] = 1
        close(&state)
        var next = state
        for scalar in text.unicodeScalars {
            let v = scalar.value
            var any: UInt64 = 0
            for w in 0..<words {
                let advance: UInt64
                if v < 128 { advance = ascii[Int(v) * words + w] } else { advance = other[v]?[w] ?? anyMask[w] }
                next[w] = state[w] & advance
            }
            // Shift the advancing positions by one (carrying across words), keep the stars.
            var carry: UInt64 = 0
            for w in 0..<words {
                let shifted = next[w] << 1 | carry
                carry = next[w] >> 63
                next[w] = shifted | (state[w] & starMask[w])
                any |= next[w]
            }
            if any == 0 { return false }
            close(&next)
            swap(&state, &next)
        }
        return state[length / 64] & (1 << UInt64(length % 64)) != 0
    }

    /// Adds the position after each active star (a star matches the empty run).
    func close(_ state: inout [UInt64]) {
        var carry: UInt64 = 0
        for w in 0..<words {
            let active = state[w] & starMask[w]
            let shifted = active << 1 | carry
            carry = active >> 63
            state[w] |= shifted
        }
    }
}
