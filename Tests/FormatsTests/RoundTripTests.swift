import Testing
@testable import Formats

@Suite("Every code point round-trips")
struct RoundTripTests {
    @Test("decode then encode gives the same code, for every ≤16-bit named format",
          arguments: smallScalarFormats)
    func exhaustiveRoundTrip(format: AnyScalarFormat) {
        var failures = 0
        for c in 0..<UInt32(format.codePointCount) {
            let v = format.decode(c)
            let back = format.encode(v)
            if v.isNaN {
                if !format.decode(back).isNaN { failures += 1 }
                continue
            }
            if case .integer(let i) = format, i.kind == .symmetric, i.integer(of: c) < -i.maxInteger {
                continue  // the reserved code 100…0 is never produced
            }
            if back != c {
                failures += 1
                if failures < 5 { Issue.record("\(format.name): code \(c) = \(v) re-encodes as \(back)") }
            }
        }
        #expect(failures == 0)
    }

    @Test("decoded values increase with the magnitude code", arguments: smallScalarFormats)
    func monotoneDecode(format: AnyScalarFormat) {
        guard case .minifloat(let f) = format else { return }
        var previous = -1.0
        for c in 0...f.maxMagnitudeCode {
            let v = f.decode(c)
            #expect(v > previous, "\(f.name) code \(c)")
            previous = v
        }
    }
}

@Suite("The bit-manipulation path equals the exact path")
struct FastPathTests {
    static let minifloats: [Minifloat] = FormatCatalog.builtIns.compactMap {
        if case .scalar(.minifloat(let f)) = $0.format, f.supportsBitManipulationPath { return f }
        return nil
    } + [try! Minifloat(exponentBits: 3, mantissaBits: 4), try! Minifloat(exponentBits: 4, mantissaBits: 3, bias: 11, specials: .fnuz)]

    @Test("random doubles, float32 values and every midpoint", arguments: minifloats)
    func agrees(format: Minifloat) {
        var rng = SplitMix64(seed: 42)
        var inputs: [Double] = []
        for _ in 0..<100_000 {
            inputs.append(Double(bitPattern: rng.next()))
            inputs.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))))
        }
        // Midpoints and their neighbours, over the whole range of codes.
        let top = min(format.maxMagnitudeCode, 4096)
        for c in 0..<top {
            let mid = (format.decode(c) + format.decode(c + 1)) / 2
            inputs += [mid, mid.nextUp, mid.nextDown, -mid]
        }
        var mismatches = 0
        for x in inputs {
            let fast = format.encodeNearestEven(x)
            let exact = format.encodeExactly(x, rounding: .nearestEven, overflow: .ieee, random: 0)
            if fast != exact {
                mismatches += 1
                if mismatches < 5 { Issue.record("\(format.name): \(x) fast \(fast) exact \(exact)") }
            }
        }
        #expect(mismatches == 0)
    }
}
