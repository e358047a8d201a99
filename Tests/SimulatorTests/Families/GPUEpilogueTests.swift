import Hardware
import Testing
@testable import Simulator

/// Double-buffered accumulators (`overlapped_epilogue`) hide a tile's store under the next
/// tile's mainloop, but a CTA's last tile has no next one: w tiles take w·max(m, e) + min(m, e),
/// so a kernel of one tile per CTA gains nothing and one of several tiles per CTA gains.
@Suite("GPU epilogue overlap: the last tile's store stays exposed")
struct GPUEpilogueTests {
    /// B200 with one bf16 tile (256×128×64), so both variants choose the same tiling.
    func b200(overlapped: Bool) throws -> HardwareModel {
        var gpu = try device("nvidia-b200.yaml"), spec = try #require(gpu.spec as? GPUFamily)
        spec.tiles = [[256, 128, 64]]
        spec.formatTiles = []
        spec.latency.minKernelSeconds = 0   // the floor would hide short kernels
        spec.latency.overlappedEpilogue = overlapped
        gpu.spec = spec
        // An L2 fast enough never to bind, so that the pipeline (not L2 traffic) sets the time.
        for i in gpu.memory.indices where gpu.memory[i].kind == .cache { gpu.memory[i].bandwidthBytesPerSecond *= 100 }
        return gpu
    }

    func seconds(_ gpu: HardwareModel, _ m: Int, _ n: Int, _ k: Int) throws -> Double {
        try Simulator(hardware: gpu, plan: try plan("bf16")).run(gemm(m, n, k)).seconds
    }

    // Compute-bound shapes: 2 × 74 and 6 × 74 tiles, operands in L2.
    @Test("one tile per CTA (148 tiles on 148 SMs): overlapping the epilogue saves nothing")
    func oneWave() throws {
        let (m, n, k) = (2 * 256, 74 * 128, 2048)
        let overlapped = try seconds(try b200(overlapped: true), m, n, k)
        let serial = try seconds(try b200(overlapped: false), m, n, k)
        #expect(abs(overlapped / serial - 1) < 1e-9, "\(overlapped) against \(serial)")
    }

    @Test("three tiles per CTA: two of the three stores run under the next tile's mainloop")
    func threeWaves() throws {
        let (m, n, k) = (6 * 256, 74 * 128, 2048)
        let overlapped = try seconds(try b200(overlapped: true), m, n, k)
        let serial = try seconds(try b200(overlapped: false), m, n, k)
        #expect(overlapped < serial * 0.99, "\(overlapped) against \(serial)")
    }
}
