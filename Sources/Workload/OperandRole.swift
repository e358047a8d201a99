/// What an operand is to an op; hardware levels say which roles they hold.
public enum OperandRole: String, Sendable, CaseIterable, Hashable, Comparable {
    case weight, input, output, accumulator

    public static func < (a: OperandRole, b: OperandRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
