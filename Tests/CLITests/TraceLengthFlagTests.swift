import Foundation
import Testing

/// `trace transformer` reads `--prompt` at prefill and `--position` at decode
/// (plus `--prompt` as an encoder–decoder's encoder length): a length flag the
/// phase does not read is a warning, not silence.
@Suite("trace transformer warns about an ignored length flag and a context beyond the model")
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

    @Test("a context beyond the config's positions is a warning; within it, none")
    func beyondContext() throws {
        let over = try LPSimProcess.run(["trace", "transformer", "--config", config("llama-2-7b"),
                                         "--phase", "decode", "--position", "5000"])
        #expect(over.status == 0, "\(over.stderr)")
        #expect(over.stderr.contains("warning: --position 5000 attends 5001 positions, beyond the 4096"),
                "\(over.stderr)")
        let last = try LPSimProcess.run(["trace", "transformer", "--config", config("llama-2-7b"),
                                         "--phase", "decode", "--position", "4095"])
        #expect(last.status == 0 && !last.stderr.contains("warning"), "\(last.stderr)")
        // BERT has 512 learned positions: the default prompt of 2048 is beyond them.
        let bert = try LPSimProcess.run(["trace", "transformer", "--config", config("bert-base-uncased")])
        #expect(bert.stderr.contains("warning: --prompt 2048 attends 2048 positions, beyond the 512"),
                "\(bert.stderr)")
        // T5's relative-position buckets have no limit.
        let t5 = try LPSimProcess.run(["trace", "transformer", "--config", config("t5-small"), "--prompt", "2048"])
        #expect(t5.status == 0 && !t5.stderr.contains("warning"), "\(t5.stderr)")
    }
}
