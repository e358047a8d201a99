import Foundation

/// Writes `contents` to `path` whole or not at all: into a temporary file in
/// the same directory, then renamed over the target, so a failure or an
/// interruption leaves any earlier file untouched.
public func writeAtomically(_ contents: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw Diagnostic(file: path, message: "cannot write: the directory \(directory.path) does not exist")
    }
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
        try contents.write(to: temporary)
        // rename(2) replaces the target atomically on the same file system.
        guard rename(temporary.path, url.path) == 0 else {
            throw Diagnostic(file: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
    } catch let d as Diagnostic {
        try? FileManager.default.removeItem(at: temporary)
        throw d
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw Diagnostic(file: path, message: "cannot write: \(error.localizedDescription)")
    }
}

public func writeAtomically(_ text: String, to path: String) throws {
    try writeAtomically(Data(text.utf8), to: path)
}
