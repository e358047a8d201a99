import Foundation

/// Writes what `produce` appends to `path` whole or not at all: into a
/// temporary file in the same directory, in chunks as it is produced, then
/// renamed over the target, so a failure or an interruption leaves any
/// earlier file untouched and no partial output.
public func writeAtomically(to path: String, _ produce: (inout ChunkedWriter) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw Diagnostic(file: path, message: "cannot write: the directory \(directory.path) does not exist")
    }
    func failure() -> Diagnostic { Diagnostic(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw failure() }
    var isOpen = true
    do {
        try ChunkedWriter.writing(to: fd, path: path, produce)
        isOpen = false
        guard close(fd) == 0 else { throw failure() }
        // rename(2) replaces the target atomically on the same file system.
        guard rename(temporary.path, url.path) == 0 else { throw failure() }
    } catch {
        if isOpen { close(fd) }
        unlink(temporary.path)
        throw error
    }
}

/// Writes `contents` to `path` whole or not at all (see `writeAtomically(to:_:)`).
public func writeAtomically(_ contents: Data, to path: String) throws {
    try writeAtomically(to: path) { writer in contents.withUnsafeBytes { writer.write(bytes: $0) } }
}

public func writeAtomically(_ text: String, to path: String) throws {
    try writeAtomically(to: path) { $0.write(text) }
}
