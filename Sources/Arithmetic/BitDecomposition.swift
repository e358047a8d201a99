/// Integer dot products computed the way a binary tensor core must: one
/// 1-bit dot product per pair of bit planes, recombined by shifts and adds
/// (Ma et al., arXiv 2409.17870, §3).
///
/// - Bipolar-INT planes hold ±1 (bit set ⇒ +1) and a p-bit value is
///   Σ 2^i·bᵢ; a ±1 dot product of n lanes is 2·popcount(XNOR) − n.
/// - Two's-complement planes hold 0/1, the top plane weighs −2^(p−1); a 0/1
///   dot product is popcount(AND).
///
/// Both are exact: the tests check every p, q ≤ 8 against direct products.
public enum BitDecomposition {
    /// Bit plane `plane` of `codes`, packed 64 lanes to a word.
    static func packPlane(_ codes: [UInt32], plane: Int) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (codes.count + 63) / 64)
        for (i, c) in codes.enumerated() where (c >> plane) & 1 == 1 {
            words[i / 64] |= 1 << UInt64(i % 64)
        }
        return words
    }

    /// Σ wᵢ·aᵢ for bipolar-INT codes of p and q bits, via p·q XNOR-popcount products.
    public static func bipolarDot(weightCodes w: [UInt32], weightBits p: Int,
                                  activationCodes a: [UInt32], activationBits q: Int) -> Int64 {
        precondition(w.count == a.count)
        let n = w.count
        let tailMask: UInt64 = n % 64 == 0 ? ~0 : (1 << UInt64(n % 64)) - 1
        let wPlanes = (0..<p).map { packPlane(w, plane: $0) }
        let aPlanes = (0..<q).map { packPlane(a, plane: $0) }
        var total: Int64 = 0
        for i in 0..<p {
            for j in 0..<q {
                var agree = 0
                for k in wPlanes[i].indices {
                    var x = ~(wPlanes[i][k] ^ aPlanes[j][k])
                    if k == wPlanes[i].count - 1 { x &= tailMask }
                    agree += x.nonzeroBitCount
                }
                total += Int64(2 * agree - n) << Int64(i + j)   // the binary product, shifted
            }
        }
        return total
    }

    /// Σ wᵢ·aᵢ for two's-complement codes of p and q bits, via p·q AND-popcount products.
    public static func twosComplementDot(weightCodes w: [UInt32], weightBits p: Int,
                                         activationCodes a: [UInt32], activationBits q: Int) -> Int64 {
        precondition(w.count == a.count)
        let wPlanes = (0..<p).map { packPlane(w, plane: $0) }
        let aPlanes = (0..<q).map { packPlane(a, plane: $0) }
        var total: Int64 = 0
        for i in 0..<p {
            for j in 0..<q {
                var count = 0
                for k in wPlanes[i].indices { count += (wPlanes[i][k] & aPlanes[j][k]).nonzeroBitCount }
                // The sign planes weigh −2^(p−1) and −2^(q−1).
                let sign: Int64 = ((i == p - 1) != (j == q - 1)) ? -1 : 1
                total += sign * (Int64(count) << Int64(i + j))
            }
        }
        return total
    }
}
