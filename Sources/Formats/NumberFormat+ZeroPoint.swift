extension NumberFormat {
    /// The signed integer format an unsigned one's codes become less a
    /// mid-range zero point: a tensor quantised to N-bit codes 0…2^N−1 with
    /// zero point 2^(N−1) holds q − zp in −2^(N−1)…2^(N−1)−1, exactly the
    /// signed format's grid (an ONNX model's uint8 activations: 0…255 − 128).
    /// Nil for any format that is not a plain unsigned integer.
    public var zeroPointShifted: NumberFormat? {
        guard case .scalar(.integer(let u)) = self, u.kind == .unsigned, u.fractionBits == 0,
              let s = try? IntegerFormat(bits: u.bitWidth, kind: .twosComplement) else { return nil }
        return .scalar(.integer(s))
    }
}
