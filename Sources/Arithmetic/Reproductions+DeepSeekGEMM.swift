import Formats

extension Reproductions {
    /// The setup pre-registered in docs/numerics-reproductions.md for
    /// DeepSeek-V3's "maximum relative error of nearly 2%" (arXiv 2412.19437
    /// §3.3.2), fixed before its figure was computed: one 128×128 output tile
    /// of A·Bᵀ with K = 4096, A and B i.i.d. N(0, 1) rounded to bf16 (the
    /// random matrices DeepGEMM, DeepSeek's FP8 GEMM library, tests on:
    /// `torch.randn(..., dtype=torch.bfloat16)` in tests/generators.py), both
    /// quantised to E4M3 under one per-tensor scale, accumulated by the H100
    /// FP8 MMA model (14 kept bits per 32 products, Khattak & Mikaitis arXiv
    /// 2512.07004), optionally promoted to FP32 every `promotion` products;
    /// the error of the accumulation alone.
    public static func deepSeekGEMMTile(promotion: Int? = nil, tile: Int = 128, length: Int = 4096,
                                        seed: UInt64 = 0) -> GEMMTileErrors? {
        guard let bf16 = try? FormatCatalog.scalarFormat(named: "bf16"),
              let e4m3 = try? FormatCatalog.format(named: "fp8_e4m3") else { return nil }
        let a = Distribution.normal.samples(tile * length, seed: seed).map { bf16.quantize($0) }
        let b = Distribution.normal.samples(tile * length, seed: seed &+ 1).map { bf16.quantize($0) }
        let device = DeviceArithmetic(accumulator: .alignedTruncating(keptBits: 14, groupSize: 32),
                                      promotionInterval: promotion)
        return try? GEMMTileErrors.measure(a: a, b: b, rows: tile, columns: tile, length: length,
                                           format: e4m3, device: device)
    }
}
