import Foundation

/// An error in something a person wrote, printed as
/// `FILE:LINE:COLUMN: error: message` (the position parts only when known).
struct InputError: Error, CustomStringConvertible {
    var file: String
    var line: Int?
    var column: Int?
    var message: String

    var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let line, line > 0, let column { location += ":\(column)" }
        return "\(location): error: \(message)"
    }
}

/// Standard error as a text stream.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

/// Runs a command body, printing lpsim's own errors in the compiler-style
/// form and exiting non-zero; ArgumentParser's errors pass through.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as InputError {
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
