import Documents
import Foundation
import Testing

@Suite("Shell quoting of recorded command lines")
struct ShellQuotingTests {
    static let arguments = ["--title", "ResNet-50 on T4: mixed INT4/INT8 under a 496 µs budget", "it's", "",
                            "a\nb", "tab\there", "\u{7F}del", "$HOME", "`id`", "\\back\\slash", "*.yaml",
                            "--budget=496us", "reports/a-b_c.md", "x'y\nz", "\u{1}"]

    @Test("bash reads every quoted argument back as given, and no quoted form holds a control character")
    func bashReadsBack() throws {
        for argument in Self.arguments {
            let quoted = shellQuoted(argument)
            #expect(!quoted.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(quoted)")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "printf %s " + quoted]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(String(decoding: data, as: UTF8.self) == argument, "\(quoted)")
        }
    }

    @Test("plain arguments stay bare")
    func bare() {
        #expect(shellQuoted("--hardware") == "--hardware")
        #expect(shellQuoted("hardware/nvidia-t4.yaml") == "hardware/nvidia-t4.yaml")
        #expect(shellQuoted("int8,int4") == "int8,int4")
        #expect(shellQuoted("a b") == "'a b'")
    }
}
