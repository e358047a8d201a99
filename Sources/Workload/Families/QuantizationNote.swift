import Documents

extension ModelFamilies {
    /// A warning when the config carries a `quantization_config` (GPTQ, AWQ,
    /// bitsandbytes, FP8 as DeepSeek-V3 ships, MXFP4 as gpt-oss does): the
    /// generated trace gives its ops no formats, so the checkpoint's
    /// quantization is not modelled unless a precision plan says so. Without
    /// the warning a 4-bit checkpoint's config silently yields a BF16 model.
    ///
    /// Never an error: the block's contents vary by library and are only read
    /// to name the method.
    static func quantizationWarning(_ r: HFConfigReader) -> Diagnostic? {
        guard r.hasValue("quantization_config") else { return nil }
        let block = try? r.object("quantization_config")
        var what: [String] = []
        if let method = (try? block?.string("quant_method")) ?? nil { what.append("quant_method '\(method)'") }
        if let bits = (try? block?.optionalInt("bits")) ?? nil { what.append("\(bits) bits") }
        let named = what.isEmpty ? "quantization_config" : what.joined(separator: ", ")
        return r.warning("quantization_config",
                         "the checkpoint is quantized (\(named)), "
                         + "but the trace carries no formats: simulate it with a precision plan that matches "
                         + "(a built-in such as w4a16, fp8 or mxfp4-a16, or a plan file) to model the quantization")
    }
}
