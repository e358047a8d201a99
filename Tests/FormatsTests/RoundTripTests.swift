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

@Suite("The branch-free float32 encoder equals the exact path")
struct Float32EncoderTests {
    @Test("random float32 bit patterns, every float32 midpoint and its neighbours",
          arguments: FastPathTests.minifloats)
    func agrees(format: Minifloat) throws {
        let encoder = try #require(Float32Encoder(format))
        var rng = SplitMix64(seed: 9)
        var inputs: [Float] = [.infinity, -.infinity, .nan, -.nan, 0, -0.0, .leastNonzeroMagnitude,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for _ in 0..<200_000 { inputs.append(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))) }
        let top = min(format.maxMagnitudeCode, 4096)
        for c in 0...top {
            let value = format.decode(c), next = c < format.maxMagnitudeCode ? format.decode(c + 1) : 2 * value
            for x in [Float(value), Float((value + next) / 2)] where x.isFinite {
                inputs += [x, x.nextUp, x.nextDown, -x, -x.nextUp]
            }
        }
        var mismatches = 0
        for x in inputs {
            let fast = encoder.encode(x)
            let exact = format.encodeExactly(Double(x), rounding: .nearestEven, overflow: .ieee, random: 0)
            if fast != exact {
                mismatches += 1
                if mismatches < 5 { Issue.record("\(format.name): \(x) (0x\(String(x.bitPattern, radix: 16))) fast \(fast) exact \(exact)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("formats whose normals start below float32's have no float32 encoder")
    func unsupported() throws {
        #expect(Float32Encoder(try Minifloat(exponentBits: 8, mantissaBits: 3, bias: 140)) == nil)
        guard case .scalar(.minifloat(let e8m0)) = try FormatCatalog.format(named: "e8m0") else { return }
        #expect(Float32Encoder(e8m0) == nil)
    }
}
