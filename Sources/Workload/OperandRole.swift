/// What an operand is to an op; hardware levels say which roles they hold.
public enum OperandRole: String, Sendable, CaseIterable, Hashable, Comparable {
    case weight, input, output, accumulator
    /// Attention's K/V cache: the cached operand of attention ops, stored in
    /// the plan's `kv_cache` format when it gives one (fp8 or int4 KV, as serving stacks offer).
    case kvCache = "kv_cache"

    public static func < (a: OperandRole, b: OperandRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
