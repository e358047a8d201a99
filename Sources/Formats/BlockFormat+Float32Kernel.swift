extension BlockFormat {
    /// The bulk quantiser for float32 tensors (checkpoint QSNR, benchmarks);
    /// nil where the format has none (unsigned or bipolar elements, E8M0-like
    /// element formats, a scale format without a plain grid, or exponent ranges
    /// a float cannot hold), and callers use the readable path instead.
    public var float32Kernel: Float32Kernel? { Float32Kernel(self) }

    /// Quantises float32 values block by block, equal bit for bit to the
    /// readable path (`encodeBlock` + `value`, whose Double results it rounds
    /// to Float: exact for power-of-two scales, the nearest float for
    /// absmax scales times a tensor scale). Tested against it on every
    /// built-in block format (`Float32KernelTests`).
    ///
    /// Why it is fast: a block's amax is a maximum of bit patterns; the MX
    /// shared exponent is read from those bits (the round-up rule compares
    /// mantissa fields); a power-of-two scale is applied by multiplying in
    /// Float (exact); elements round with `ElementGrid`, branch-free, in
    /// loops the compiler vectorises. Absmax-scaled formats (NVFP4, NVINT4,
    /// group-wise INT) divide in Double, as the reference does.
    public struct Float32Kernel: Sendable {
        enum Grid: Sendable { case minifloat(MinifloatGrid), integer(IntegerGrid) }
        let format: BlockFormat
        let grid: Grid
        let limitF: Float, limitD: Double
        /// The element format's largest value as a float's mantissa field (round-up rule).
        let maxMantissaField: UInt32
        /// The scale's grid and largest value (absmax rule).
        let scaleGrid: MinifloatGrid?
        let scaleMax: Double

        init?(_ b: BlockFormat) {
            guard let g = elementGrid(b.element) else { return nil }
            switch g {
            case let m as MinifloatGrid: grid = .minifloat(m)
            case let i as IntegerGrid: grid = .integer(i)
            default: return nil
            }
            let lowest = b.scaleExponentRange.lowerBound, highest = b.scaleExponentRange.upperBound
            let quantumExponent = Int(b.element.minPositive.exponent)
            switch b.rule {
            case .sharedExponent, .sharedExponentRoundUp:
                // Scales 2^s and every q · 2^s stay floats (2^−127 is a float's subnormal, q · 2^−127 exact).
                guard !b.hasTensorScale, lowest >= -127, highest <= 127, lowest + quantumExponent >= -149,
                      b.elementMaxExponent <= 64 else { return nil }
                scaleGrid = nil
            case .absMax:
                guard case .minifloat(let s) = b.scale, s.isSigned, s.mantissaBits >= 1,
                      let sg = MinifloatGrid(minExponent: s.minNormalExponent, mantissa: s.mantissaBits)
                else { return nil }
                scaleGrid = sg
            }
            format = b
            limitD = b.elementMax
            limitF = Float(b.elementMax)
            guard Double(limitF) == limitD else { return nil }
            maxMantissaField = limitF.bitPattern & 0x7F_FFFF
            scaleMax = b.scale.maxFinite
        }

        /// `values` quantised and dequantised into `out` (same count; a whole
        /// number of blocks from a block boundary, the last may be short);
        /// `tensorScale` from `BlockFormat.tensorScale(for:)` (1 without one).
        /// A block holding NaN or ±∞ becomes NaN, as the reference.
        public func quantize(_ values: UnsafeBufferPointer<Float>, tensorScale ts: Double,
                             into out: UnsafeMutableBufferPointer<Float>) {
            precondition(out.count >= values.count, "output shorter than input")
            switch grid {
            case .minifloat(let g): run(g, values, ts, out.baseAddress!, nil)
            case .integer(let g): run(g, values, ts, out.baseAddress!, nil)
            }
        }

        /// Σx² and Σ(x − q(x))² over `values` (blocks as `quantize`), nil when
        /// a value is NaN or ±∞ (the caller filters those and uses the
        /// readable path). Each error is exact (Sterbenz: q(x) is within a
        /// factor of two of x or zero); only the order of the sums differs
        /// from the reference.
        public func signalNoise(_ values: UnsafeBufferPointer<Float>,
                                tensorScale ts: Double) -> (signal: Double, noise: Double)? {
            var sums = (0.0, 0.0)
            let finite = withUnsafeMutablePointer(to: &sums) { s in
                switch grid {
                case .minifloat(let g): return run(g, values, ts, nil, s)
                case .integer(let g): return run(g, values, ts, nil, s)
                }
            }
            return finite ? (sums.0, sums.1) : nil
        }

        /// Elements per tile of errors summed at once (fits in L1 as Doubles).
        static let tile = 2048

        /// The one block loop behind both entry points: writes values to
        /// `out`, or sums signal and noise into `sums`; false when a block
        /// held a non-finite value and sums were asked for.
        @inline(__always)
        func run<G: ElementGrid>(_ g: G, _ values: UnsafeBufferPointer<Float>, _ ts: Double,
                                 _ out: UnsafeMutablePointer<Float>?,
                                 _ sums: UnsafeMutablePointer<(Double, Double)>?) -> Bool {
            guard let x = values.baseAddress else { return true }
            let n = values.count, bs = format.blockSize
            let tileBlocks = max(1, Self.tile / bs)
            var errors = [Double](repeating: 0, count: tileBlocks * bs)
            return errors.withUnsafeMutableBufferPointer { scratch in
                let e = scratch.baseAddress!
                var tileStart = 0
                while tileStart < n {
                    let tileEnd = min(tileStart + tileBlocks * bs, n)
                    var start = tileStart
                    while start < tileEnd {
                        let count = min(bs, tileEnd - start)
                        let p = x + start
                        let errs = e + (start - tileStart)
                        if !block(g, p, count, ts, out.map { $0 + start }, sums == nil ? nil : errs) { return false }
                        start += count
                    }
                    if let sums {
                        sums.pointee.0 += sumOfSquares(x + tileStart, tileEnd - tileStart)
                        sums.pointee.1 += sumOfSquares(e, tileEnd - tileStart)
                    }
                    tileStart = tileEnd
                }
                return true
            }
        }

        /// One block: its scale from its amax, then every element.
        @inline(__always)
        func block<G: ElementGrid>(_ g: G, _ p: UnsafePointer<Float>, _ n: Int, _ ts: Double,
                                   _ out: UnsafeMutablePointer<Float>?, _ errs: UnsafeMutablePointer<Double>?) -> Bool {
            var m: UInt32 = 0
            for i in 0..<n { let b = p[i].bitPattern & 0x7FFF_FFFF; m = b > m ? b : m }
            if m >= 0x7F80_0000 {
                // NaN or ±∞ in the block: every element NaN (the reference's NaN scale).
                guard let out else { return false }
                for i in 0..<n { out[i] = .nan }
                return true
            }
            let lowest = format.scaleExponentRange.lowerBound, highest = format.scaleExponentRange.upperBound
            var shared: Int
            switch format.rule {
            case .absMax:
                let amax = Double(Float(bitPattern: m))
                let s = amax / (format.elementMax * ts)
                let blockScale = scaleGrid!.round(s < scaleMax ? s : scaleMax)
                absMaxBlock(g, p, n, blockScale, ts, out, errs)
                return true
            case .sharedExponent:
                if m == 0 {
                    shared = lowest
                } else {
                    let field = Int(m >> 23)
                    let exponent = field == 0 ? Int(Float(bitPattern: m).exponent) : field - 127
                    shared = exponent - format.elementMaxExponent
                    if shared > highest {
                        // OCP MX v1.0 §6.3: a scale above E8M0's range is NaN.
                        if let out { for i in 0..<n { out[i] = .nan } }
                        if let errs { for i in 0..<n { errs[i] = .nan } }
                        return true
                    }
                    shared = max(shared, lowest)
                }
            case .sharedExponentRoundUp:
                if m == 0 {
                    shared = lowest
                } else if m >> 23 == 0 {
                    shared = format.roundUpExponent(Double(Float(bitPattern: m)))
                } else {
                    shared = Int(m >> 23) - 127 - format.elementMaxExponent
                        + ((m & 0x7F_FFFF) > maxMantissaField ? 1 : 0)
                }
                shared = min(max(shared, lowest), highest)
            }
            if format.elementMaxExponent + shared >= 128 {
                // q · 2^s could pass the largest float: this block in Double.
                absMaxBlock(g, p, n, Double(sign: .plus, exponent: shared, significand: 1), 1, out, errs)
                return true
            }
            let scale = Float(sign: .plus, exponent: shared, significand: 1)
            let inverse = Float(sign: .plus, exponent: -shared, significand: 1)
            let lim = limitF
            if let out {
                for i in 0..<n {
                    var y = p[i] * inverse
                    y = y < -lim ? -lim : y
                    y = y > lim ? lim : y
                    out[i] = g.round(y) * scale
                }
            }
            if let errs {
                for i in 0..<n {
                    let x = p[i]
                    var y = x * inverse
                    y = y < -lim ? -lim : y
                    y = y > lim ? lim : y
                    errs[i] = Double(x - g.round(y) * scale)
                }
            }
            return true
        }

        /// Elements divided by blockScale · ts in Double, as the reference.
        @inline(__always)
        func absMaxBlock<G: ElementGrid>(_ g: G, _ p: UnsafePointer<Float>, _ n: Int, _ blockScale: Double,
                                         _ ts: Double, _ out: UnsafeMutablePointer<Float>?,
                                         _ errs: UnsafeMutablePointer<Double>?) {
            let divisor = blockScale * ts, lim = limitD
            if divisor == 0 {
                // Every element encodes as zero (the reference's x = 0).
                if let out { for i in 0..<n { out[i] = 0 } }
                if let errs { for i in 0..<n { errs[i] = Double(p[i]) } }
                return
            }
            for i in 0..<n {
                let x = Double(p[i])
                var y = x / divisor
                y = y < -lim ? -lim : y
                y = y > lim ? lim : y
                let v = g.round(y) * blockScale * ts
                out?[i] = Float(v)
                errs?[i] = x - v
            }
        }
    }
}

/// Σ p[i]² in Double with eight partial sums (so the loop pipelines).
@inline(__always)
func sumOfSquares(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
    var a = SIMD4<Double>(), b = SIMD4<Double>()
    var i = 0
    while i + 8 <= n {
        let u = SIMD4<Double>(Double(p[i]), Double(p[i + 1]), Double(p[i + 2]), Double(p[i + 3]))
        let v = SIMD4<Double>(Double(p[i + 4]), Double(p[i + 5]), Double(p[i + 6]), Double(p[i + 7]))
        a += u * u; b += v * v
        i += 8
    }
    var s = (a + b).sum()
    while i < n { let d = Double(p[i]); s += d * d; i += 1 }
    return s
}

@inline(__always)
func sumOfSquares(_ p: UnsafePointer<Double>, _ n: Int) -> Double {
    var a = SIMD4<Double>(), b = SIMD4<Double>()
    var i = 0
    while i + 8 <= n {
        let u = SIMD4<Double>(p[i], p[i + 1], p[i + 2], p[i + 3])
        let v = SIMD4<Double>(p[i + 4], p[i + 5], p[i + 6], p[i + 7])
        a += u * u; b += v * v
        i += 8
    }
    var s = (a + b).sum()
    while i < n { s += p[i] * p[i]; i += 1 }
    return s
}
