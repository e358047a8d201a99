import Documents
import Foundation

/// Makes a sweep's output directory (and its parents), or says why not as a
/// `DIR: error:` diagnostic. Foundation's own error ("Error Domain=
/// NSCocoaErrorDomain Code=516 …") is what a user saw for `--output` naming an
/// existing file.
func makeSweepOutputDirectory(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else {
            throw Diagnostic(file: path, message: "cannot write the sweep's outputs here: it is a file, "
                             + "expected a directory (an existing one, or a name for a new one)")
        }
        return
    }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw Diagnostic(file: path, message: "cannot make the output directory: \(reason(path))")
    }
}

/// Why `path` cannot be made: the nearest existing ancestor is a file or not writable.
private func reason(_ path: String) -> String {
    var ancestor = (path as NSString).deletingLastPathComponent
    while !ancestor.isEmpty, ancestor != "/", !FileManager.default.fileExists(atPath: ancestor) {
        ancestor = (ancestor as NSString).deletingLastPathComponent
    }
    let shown = ancestor.isEmpty ? "." : ancestor
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: shown, isDirectory: &isDirectory), !isDirectory.boolValue {
        return "'\(shown)' is a file, not a directory"
    }
    if !FileManager.default.isWritableFile(atPath: shown) { return "'\(shown)' is not writable (permission denied)" }
    return "the file system refused it"
}
