/// A running sum kept as an unevaluated pair hi + lo (double-double, via
/// Knuth's TwoSum and an FMA product error): the "exact" reference sums of
/// `DotProductErrors`. Its error is about 2^−104 of the largest partial sum,
/// far below any format lpsim models.
public struct ExactSum: Sendable {
    public var hi = 0.0
    public var lo = 0.0

    public init() {}

    @inlinable @inline(__always)
    public mutating func add(_ x: Double) {
        let s = hi + x
        let t = s - hi
        let e = (hi - (s - t)) + (x - t)
        hi = s
        lo += e
    }

    /// Adds a·b exactly (its rounding error recovered by an FMA).
    @inlinable @inline(__always)
    public mutating func addProduct(_ a: Double, _ b: Double) {
        let p = a * b
        add(p)
        lo += (-p).addingProduct(a, b)
    }

    public var value: Double { hi + lo }
}
