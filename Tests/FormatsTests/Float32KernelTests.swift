import Testing
@testable import Formats

/// The bulk float32 kernel against the readable path (`encode` + `decode`
/// in Double), bit for bit after rounding the reference to Float.
@Suite("BlockFormat.Float32Kernel")
struct Float32KernelTests {
    static let formats = [
        "mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp4", "mxint8", "mxint6", "mxint4",
        "mxfp8_e4m3@ceil", "mxfp8_e5m2@ceil", "mxfp6_e2m3@ceil", "mxfp6_e3m2@ceil", "mxfp4@ceil",
        "mxint8@ceil", "mxint6@ceil", "mxint4@ceil", "nvfp4", "nvint4", "int4_g128",
    ]

    /// Seeded blocks of many kinds: any float bit pattern (NaN, ±∞, subnormals
    /// included), blocks of one magnitude with random exponents over the whole
    /// float range, exact midpoints of the element grid under the block's
    /// scale (ties), blocks at the top of the float range (a scale whose
    /// largest element passes FLT_MAX), subnormal-only and all-zero blocks,
    /// and signed zeros.
    static func values(blockSize bs: Int, blocks: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        var v: [Float] = []
        v.reserveCapacity(bs * blocks)
        for k in 0..<blocks {
            let kind = rng.next() % 8
            let e = Int(rng.next() % 300) - 150
            for _ in 0..<bs {
                let r = rng.next()
                let f: Float
                switch kind {
                case 0: f = Float(bitPattern: UInt32(truncatingIfNeeded: r))
                case 1: f = Float(Double(Int64(bitPattern: r) >> 40) * 0x1p-23 * pow2(e))
                case 2:
                    let top: UInt32 = r & 1 << 40 == 0 ? 0x7F00_0000 : 0x7F7F_0000
                    f = Float(bitPattern: (UInt32(truncatingIfNeeded: r) & 0x807F_FFFF) | top)
                case 3: f = Float(bitPattern: UInt32(truncatingIfNeeded: r) & 0x807F_FFFF)   // subnormals and ±0
                case 4: f = r & 1 == 0 ? 0 : -0.0
                case 5:
                    // Multiples of 2^(e−6) with few bits: many exact ties on every element grid.
                    f = Float(Double(Int(r % 257) - 128) * pow2(max(-140, min(e, 120)) - 6))
                case 6:
                    // One normal magnitude, a few specials sprinkled in.
                    let u = Float(Double(Int64(bitPattern: r) >> 11) * 0x1p-52)
                    f = r % 97 == 0 ? (r & 2 == 0 ? .infinity : .nan) : u
                default:
                    f = Float(Double(Int64(bitPattern: r) >> 11) * 0x1p-52 * pow2(e / 10))
                }
                v.append(f)
            }
            _ = k
        }
        return v
    }

    @Test("quantize equals encode + decode bit for bit on 4096 seeded blocks", arguments: formats)
    func equalsReference(name: String) throws {
        let b = block(name)
        let kernel = try #require(b.float32Kernel)
        let x = Self.values(blockSize: b.blockSize, blocks: 1 << 12, seed: 19)
        // Partial blocks too: the input ends inside a block.
        let input = Array(x.dropLast(b.blockSize / 2 + 1))
        let doubles = input.map(Double.init)
        let ts = b.tensorScale(for: doubles)
        let reference = b.quantize(doubles).map(Float.init)
        var fast = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { v in
            fast.withUnsafeMutableBufferPointer { kernel.quantize(v, tensorScale: ts, into: $0) }
        }
        var mismatches = 0
        for i in input.indices where !same(fast[i], reference[i]) {
            if mismatches < 5 {
                Issue.record("\(name)[\(i)]: x = \(input[i]): fast \(fast[i]), reference \(reference[i])")
            }
            mismatches += 1
        }
        #expect(mismatches == 0)
    }

    @Test("every element code of mxfp4 and mxint8 under each scale exponent, both rules")
    func exhaustiveOverScales() throws {
        // Every float32 in one binade's worth of mantissas at every shared exponent is too many;
        // instead: every element grid point and every midpoint, scaled by every E8M0 exponent.
        for name in ["mxfp4", "mxfp4@ceil", "mxint8", "mxint8@ceil", "mxfp8_e4m3", "mxfp8_e4m3@ceil"] {
            let b = block(name)
            let kernel = try #require(b.float32Kernel)
            var x: [Float] = []
            // Every non-negative finite element value, every midpoint between neighbours, and beyond max.
            let grid = Set((0..<(UInt32(1) << b.element.bitWidth)).map { b.element.decode($0) })
                .filter { $0.isFinite && $0 >= 0 }.sorted()
            var points = grid
            for i in 1..<grid.count { points.append((grid[i - 1] + grid[i]) / 2) }
            points += [b.element.maxFinite * 1.1, b.element.maxFinite * 1.5]
            for s in stride(from: -140, through: 126, by: 3) {
                for (j, p) in points.enumerated() {
                    let f = Float(p * Double(sign: .plus, exponent: s, significand: 1))
                    x.append(j % 2 == 0 ? f : -f)
                }
                while x.count % b.blockSize != 0 { x.append(0) }
            }
            let reference = b.quantize(x.map(Double.init)).map(Float.init)
            var fast = [Float](repeating: 0, count: x.count)
            x.withUnsafeBufferPointer { v in
                fast.withUnsafeMutableBufferPointer { kernel.quantize(v, tensorScale: 1, into: $0) }
            }
            let bad = x.indices.filter { !same(fast[$0], reference[$0]) }
            #expect(bad.isEmpty, "\(name): \(bad.count) mismatches, first at \(bad.first.map { "\(x[$0])" } ?? "")")
        }
    }

    @Test("every built-in MX and NV format has a kernel")
    func kernels() {
        for name in Self.formats { #expect(block(name).float32Kernel != nil, "\(name)") }
    }
}

/// 2^e as a Double.
private func pow2(_ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: 1) }

/// The same bits, or both NaN (any payload).
private func same(_ a: Float, _ b: Float) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
