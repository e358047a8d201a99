import Workload

extension TransformerTrace {
    /// The length options given on the command line that `phase` does not read.
    ///
    /// A prefill reads `--prompt` only; a decode step reads `--position`, and
    /// `--prompt` only for an encoder–decoder (its encoder's length). A flag the
    /// phase ignores leaves the trace as if it were absent, so saying nothing
    /// would let `--phase decode --prompt 77` pass for a 77-token context when
    /// the trace attends `--position + 1` (2049 by default) positions.
    ///
    /// - Returns: one message per ignored flag (empty when every flag given is read).
    func ignoredLengthWarnings(phase: TransformerGenerator.Phase, encoderDecoder: Bool) -> [String] {
        var warnings: [String] = []
        if phase == .prefill, let p = positionOption {
            warnings.append("--position \(p) is ignored at --phase prefill, which reads --prompt (\(prompt) tokens); "
                            + "use --phase decode for a decode step at that position")
        }
        if phase == .decode, !encoderDecoder, let p = promptOption {
            warnings.append("--prompt \(p) is ignored at --phase decode of a decoder-only model: the context is "
                            + "--position (\(position), attending \(position + 1) positions); "
                            + "use --position \(p) for the first token after a \(p)-token prompt")
        }
        return warnings
    }

    /// A warning when the trace attends more positions than the config says the
    /// model has (`max_position_embeddings`, GPT-2's `n_positions`): a learned
    /// table has no entry there, a rotary model was not trained for it. The trace
    /// is still written (a what-if is legitimate); T5's relative buckets have no limit.
    func contextLengthWarning(_ c: TransformerConfig, phase: TransformerGenerator.Phase) -> String? {
        if case .relative = c.positions { return nil }
        let attended = phase == .prefill ? prompt : position + 1
        guard attended > c.maxPositions else { return nil }
        let flag = phase == .prefill ? "--prompt \(prompt)" : "--position \(position)"
        return "\(flag) attends \(attended) positions, beyond the \(c.maxPositions) this config gives the model "
            + "(max_position_embeddings or n_positions): the trace is written anyway"
    }
}
