import Hardware
import Simulator
import Workload

/// Published FPGA dataflow designs beside lpsim's folding search: held out,
/// no constant of the dataflow model was fitted to them. The workloads and
/// device files are committed (`workloads/finn/`, `hardware/xilinx-zc706.yaml`).
enum FPGADesignValidation {
    static let finn2017 = "Umuroglu et al., FINN, FPGA 2017 (arXiv 1612.07119), abstract"

    static func rows(hardwareDirectory: String) throws -> (String, [ModelValidation.Row]) {
        let root = hardwareDirectory + "/.."
        let zc706 = try HardwareLoader.load(hardwareDirectory + "/xilinx-zc706.yaml")
        var planner = try DataflowPlanner(hardware: zc706)
        // FINN 2017's sliding-window unit emits SIMD channels of one pixel at a time (no parallel window).
        planner.parallelWindow = false
        var rows: [ModelValidation.Row] = []
        // CNV's first layer reads the 8-bit image (FINN 2017, Section 5.1): `finn-cnv.yaml`.
        for (file, plan, name, fps, latency) in [("sfc", "binary", "SFC-max", 12.3e6, 0.31e-6),
                                                 ("cnv", "finn-cnv", "CNV-max", 21906.0, 283e-6)] {
            let trace = try TraceReader.load(root + "/workloads/finn/\(file).yaml")
            let precision = try PrecisionPlan.load(root + "/workloads/plans/\(plan).yaml")
            let design = try planner.search(try DataflowLayer.layers(of: trace, plan: precision))
            let note = "held-out: the fastest folding lpsim finds within the ZC706's budget (\(plan) plan, 200 MHz, "
                + "FINN 2017's window unit: SIMD over channels); "
                + "bottleneck \(design.bottleneck)"
            rows.append(ModelValidation.Row(quantity: "FINN \(name) on ZC706, throughput", published: fps / 1e3,
                                            lpsim: design.inferencesPerSecond / 1e3, unit: "kFPS", tolerance: 0.25,
                                            absolute: false, source: finn2017, note: note))
            rows.append(ModelValidation.Row(quantity: "FINN \(name) on ZC706, latency", published: latency * 1e6,
                                            lpsim: design.latencySeconds * 1e6, unit: "µs", tolerance: 0.25,
                                            absolute: false, source: finn2017, note: note))
        }
        rows += try finnExamplesRows(root: root, hardwareDirectory: hardwareDirectory)
        // A DPU overlay: ResNet-50 at INT8 on the ZCU104's two B4096 cores, lpsim's overlay
        // (the layers in sequence on the tiled array) against Vitis AI's multi-thread throughput.
        let dpu = try HardwareLoader.load(hardwareDirectory + "/xilinx-zcu104-dpu.yaml")
        let resnet = try TraceReader.load(root + "/workloads/resnet50.yaml")
        let r = try Simulator(hardware: dpu, plan: try PrecisionPlan.load("int8")).run(resnet)
        rows.append(ModelValidation.Row(
            quantity: "DPU (2 × B4096, ZCU104) ResNet-50 INT8 throughput", published: 166.2, lpsim: 1 / r.seconds,
            unit: "fps", tolerance: 0.25, absolute: false,
            source: "Xilinx/Vitis-AI v2.0 model zoo README, Performance on ZCU104 (cf_resnet50, multi-thread E2E)",
            note: "held-out; lpsim's overlay keeps BN, ReLU and residual adds as separate ops through DDR "
                + "(the DPU fuses them; 3.1 of 7.0 ms), which offsets the DPU losses it does not model"))
        return ("FPGA designs (held-out)", rows)
    }

    static let finnExamples = "Xilinx/finn-examples commit 00da6d3 (Oct 2020): notebooks 0_mnist_with_fc_networks "
        + "and 1_cifar10_with_cnv_networks, accel.throughput_test() at batch 1000; folding from "
        + "build/bnn-pynq/folding_config, 100 MHz from build/bnn-pynq/build.py"

    /// Later FINN designs (the FINN compiler's finn-examples, 2020): the published foldings on the
    /// ZCU104's fabric at the build's 100 MHz, against the throughput the notebooks measured on a board
    /// (the same folding and clock are built for the Pynq-Z1, Ultra96 and ZCU104; the rate at a
    /// folding does not depend on the board). Held out: the device file was set from DS891 and
    /// build.py before the comparison, and nothing was changed after it but `io_dma_bits`, the
    /// shell's DMA width from FINN's ZynqBuild (64), which the measurement includes: the notebooks
    /// time the accelerator's DMA-in, compute and DMA-out of a 1000-image batch.
    static func finnExamplesRows(root: String, hardwareDirectory: String) throws -> [ModelValidation.Row] {
        let zcu104 = try HardwareLoader.load(hardwareDirectory + "/xilinx-zcu104-finn.yaml")
        var planner = try DataflowPlanner(hardware: zcu104)
        var rows: [ModelValidation.Row] = []
        // (workload, plan, name, measured images/s, the MVAUs' (PE, SIMD) in layer order)
        let designs: [(String, String, String, Double, [(Int, Int)])] = [
            ("cnv", "finn-cnv", "CNV-w1a1", 3020.496696706212,
             [(16, 3), (32, 32), (16, 32), (16, 32), (4, 32), (1, 32), (1, 4), (1, 8), (5, 1)]),
            ("tfc", "finn-tfc", "TFC-w1a1", 837019.3574136898, [(16, 49), (8, 8), (8, 8), (10, 8)]),
        ]
        for (file, plan, name, fps, folding) in designs {
            let trace = try TraceReader.load(root + "/workloads/finn/\(file).yaml")
            let precision = try PrecisionPlan.load(root + "/workloads/plans/\(plan).yaml")
            let layers = try DataflowLayer.layers(of: trace, plan: precision)
            planner.transfer = try DataflowTransfer(trace: trace, plan: precision)
            let design = try planner.design(layers, foldings: folding.map { ($0.0, $0.1, nil) })
            rows.append(ModelValidation.Row(
                quantity: "finn-examples \(name) throughput (published folding, 100 MHz)", published: fps / 1e3,
                lpsim: design.inferencesPerSecond / 1e3, unit: "kFPS", tolerance: 0.25, absolute: false,
                source: finnExamples,
                note: "held-out: clock / max II of the published folding and of the shell's 64-bit DMA engines "
                    + "(FINN ZynqBuild's InsertIODMA(64): \(design.inputDMACycles) cycles in, "
                    + "\(design.outputDMACycles) out per image; bottleneck \(design.bottleneck)); the PYNQ "
                    + "driver's register writes and polling from Python, once per batch, are not modelled"))
        }
        return rows
    }
}
