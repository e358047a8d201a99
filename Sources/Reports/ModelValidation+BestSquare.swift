import Hardware

extension ModelValidation {
    /// The large-GEMM efficiency checks from best-square benchmarks
    /// (`GEMMMeasurements.bestSquareCalibrated` and `.bestSquareHeldOut`): the calibrated rows
    /// and the held-out rows in sections of their own, at the large-GEMM tolerance (±10%).
    static func bestSquareSections(only: Set<String>?,
                                   device: (String) throws -> HardwareModel) throws -> [(String, [Row])] {
        func row(_ p: GEMMMeasurements.BestSquare, basis: Basis) throws -> Row {
            Row(quantity: bestSquareLabel(p), published: p.tflops,
                lpsim: try bestSquareTFLOPS(p, device: device), unit: "TFLOP/s", tolerance: 0.10,
                absolute: false, source: p.source,
                note: basis == .calibrated ? "calibrated" : (p.finding.map { $0 + "; " } ?? "") + "held out",
                basis: basis, device: p.file)
        }
        let kept = { (rows: [GEMMMeasurements.BestSquare]) in rows.filter { only?.contains($0.file) ?? true } }
        return [
            ("Large-GEMM efficiency — calibrated, best square GEMM (sustained_fraction of T4, L4, L40S and "
                + "RTX 4090 fitted here)", try kept(GEMMMeasurements.bestSquareCalibrated).map {
                try row($0, basis: .calibrated)
            }),
            ("Large-GEMM efficiency — held out, best square GEMM (other runs and benchmarks; nothing fitted to them)",
             try kept(GEMMMeasurements.bestSquareHeldOut).map { try row($0, basis: .heldOut) }),
        ].filter { !$0.1.isEmpty }
    }

    /// A best-square row's label: device, plan, the sizes and the run.
    static func bestSquareLabel(_ p: GEMMMeasurements.BestSquare) -> String {
        let range = p.sizes.count == 1 ? "n = \(p.sizes[0])" : "best of n = \(p.sizes.first!)…\(p.sizes.last!)"
        return "\(p.device) \(p.plan) square GEMM, \(range) [\(p.run)]"
    }

    /// The model's fastest of the benchmark's square GEMMs, TFLOP/s: the statistic the benchmark reports.
    static func bestSquareTFLOPS(_ p: GEMMMeasurements.BestSquare,
                                 device: (String) throws -> HardwareModel) throws -> Double {
        try p.sizes.map { n in
            try simulatedTFLOPS(GEMMMeasurements.Point(device: p.device, file: p.file, plan: p.plan, m: n, n: n, k: n,
                                                       tflops: p.tflops, source: p.source), device: device)
        }.max() ?? 0
    }
}
