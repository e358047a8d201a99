/// The keys of the hardware language, section by section. The loader
/// accepts exactly these (anything else is an unknown-key error), and a test
/// keeps `docs/schema/hardware.schema.json` in step with them.
public enum HardwareSchema {
    public static let top = ["name", "family", "source", "extends", "technology", "clock", "power",
                             "memory", "datapath", "gpu", "systolic", "fpga", "dsp"]
    public static let technology = ["node", "voltage", "source"]
    public static let power = ["tdp", "static", "mac_overhead", "source"]
    public static let memoryLevel = ["name", "kind", "capacity", "bandwidth", "energy_per_byte", "holds", "achievable", "source"]
    public static let datapath = ["formats", "multiplier", "accumulator", "block_scale", "cost_overrides",
                                         "dot_product_lanes"]
    public static let accumulator = ["kind", "bits", "overflow", "format", "kept_bits", "promotion_interval", "source"]
    public static let costOverride = ["unit", "format", "energy", "area", "delay", "source"]
    public static let rate = ["macs", "source"]
    public static let gpu = ["sms", "tensor_cores_per_sm", "dense_macs_per_clock", "binary_macs_per_clock",
                             "launch_overhead", "tiles", "sustained_fraction"]
    public static let systolic = ["rows", "columns", "dataflow", "buffers", "macs_per_pe_per_clock"]
    public static let buffers = ["ifmap", "filter", "ofmap"]
    public static let fpga = ["part", "luts", "ffs", "dsps", "dsp_type", "bram_36k", "uram", "dsp_packing", "lut_fraction"]
    public static let dsp = ["vector_units", "vector_width_bits", "macs_per_lane_per_cycle", "vliw_slots"]

    /// Every section, by its schema definition name.
    public static let sections: [String: [String]] = [
        "top": top, "technology": technology, "power": power, "memoryLevel": memoryLevel,
        "datapath": datapath, "accumulator": accumulator, "costOverride": costOverride, "rate": rate,
        "gpu": gpu, "systolic": systolic, "buffers": buffers, "fpga": fpga, "dsp": dsp,
    ]
}
