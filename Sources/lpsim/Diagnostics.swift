import Documents
import Foundation

/// Standard error as a text stream.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

/// Runs a command body, printing an input `Diagnostic` in the compiler style
/// (`FILE:LINE:COLUMN: error: KEY: message`) with exit status 1 and a bad
/// option value with status 2; ArgumentParser's errors pass through.
func reportingErrors(_ body: () throws -> Void) throws {
    // One command per process: a second output onto a file already written is refused.
    FileRegistry.refusesRepeatedOutputs = true
    do {
        try body()
    } catch let error as Diagnostic {
        var stderr = StandardError()
        print(error.description, to: &stderr)
        throw ExitCode(1)
    } catch let error as CommandLineError {
        var stderr = StandardError()
        print("lpsim: error: \(error.message)", to: &stderr)
        throw ExitCode(2)
    }
}

/// A bad option value that ArgumentParser could not check by itself.
struct CommandLineError: Error {
    var message: String
}

import ArgumentParser

/// The items of a comma-separated option value, trimmed; an empty item
/// (`bf16,,fp8`, a trailing comma) or an empty list is an error, never skipped.
func commaList(_ text: String, option: String) throws -> [String] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    if let empty = items.firstIndex(of: "") {
        throw CommandLineError(message: "--\(option): item \(empty + 1) of \(quotedToken(text)) is empty")
    }
    return items
}
