/// Placeholder replaced below.
struct TensorErrorReport {
    var command: ErrorCommand
    func run(file: String) throws { throw CommandLineError(message: "\(file): --tensors is not implemented yet") }
}
