import Foundation

/// The lines of a text input (a file, or standard input for `nil` or "-"),
/// each with its 1-based line number; invalid UTF-8 is an `InputError` at
/// the offending line.
struct InputText {
    let displayName: String
    let lines: [(number: Int, text: Substring)]

    init(path: String?) throws {
        let data: Data
        if let path, path != "-" {
            displayName = path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(file: path, message: "no such file")
            }
            guard !isDirectory.boolValue else {
                throw InputError(file: path, message: "is a directory, expected a file")
            }
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw InputError(file: path, message: "cannot read: \(error.localizedDescription)")
            }
        } else {
            displayName = "<stdin>"
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        var lines: [(Int, Substring)] = []
        var number = 0
        for rawLine in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            guard let text = String(validating: rawLine, as: UTF8.self) else {
                throw InputError(file: displayName, line: number, column: 1, message: "not UTF-8 text")
            }
            var line = Substring(text)
            if line.last == "\r" { line.removeLast() }
            lines.append((number, line))
        }
        self.lines = lines
    }
}
