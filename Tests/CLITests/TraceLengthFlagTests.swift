import Foundation
import Testing

/// `trace transformer` reads `--prompt` at prefill and `--position` at decode
/// (plus `--prompt` as an encoder–decoder's encoder length): a length flag the
/// phase does not read is a warning, not silence.
@Suite("trace transformer warns about the length flag its phase ignores")
struct TraceLengthFlagTests {
    func config(_ model: String) -> String {
        LPSimProcess.packageRoot.appendingPathComponent("workloads/configs/\(model)/config.json").path
    }

    @Test("--prompt at decode of a decoder-only model is a warning; the trace is still the --position one")
    func promptAtDecode() throws {
        let given = try LPSimProcess.run(["trace", "transformer", "--config", config("llama-2-7b"),
                                          "--phase", "decode", "--prompt", "77"])
        let plain = try LPSimProcess.run(["trace", "transformer", "--config", config("llama-2-7b"),
                                          "--phase", "decode"])
        #expect(given.status == 0 && plain.status == 0, "\(given.stderr)")
        #expect(given.stderr.contains("<command line>: warning: --prompt 77 is ignored at --phase decode"),
                "\(given.stderr)")
        #expect(given.stderr.contains("use --position 77"), "\(given.stderr)")
        #expect(!plain.stderr.contains("warning"), "\(plain.stderr)")
        // The ignored flag changed nothing but the command recorded in the trace.
        let body = { (s: String) in s.split(separator: "\n").filter { !$0.hasPrefix("generated_by") } }
        #expect(body(given.stdout) == body(plain.stdout))
    }

    @Test("--position at prefill is a warning")
    func positionAtPrefill() throws {
        let r = try LPSimProcess.run(["trace", "transformer", "--config", config("llama-2-7b"),
                                      "--phase", "prefill", "--prompt", "16", "--position", "77"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: --position 77 is ignored at --phase prefill"), "\(r.stderr)")
    }

    @Test("an encoder-decoder reads --prompt at decode: no warning")
    func encoderDecoderPrompt() throws {
        let r = try LPSimProcess.run(["trace", "transformer", "--config", config("t5-small"),
                                      "--phase", "decode", "--prompt", "77", "--position", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("warning"), "\(r.stderr)")
    }
}
