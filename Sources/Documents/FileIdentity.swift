import Foundation

/// A file as the file system knows it: device and inode, after following
/// every symbolic link. Two paths name one file exactly when their
/// identities are equal, whatever their spelling (`r.md`, `./r.md`, a link).
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    /// The identity of the file at `path` (links followed), or nil if there is none.
    public init?(path: String) {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        device = UInt64(s.st_dev)
        inode = UInt64(s.st_ino)
    }
}

/// The files this process has read and written, so that an output never
/// lands on an input of the same command and two outputs never name one
/// file (either would lose data: the input is replaced before it is used
/// again, or the second output silently replaces the first).
///
/// Readers record through `checkInputFile`; `writeAtomically` checks and
/// records outputs. A command runs on one thread; the lock keeps the
/// registry safe should a library caller use it from several.
public enum FileRegistry {
    /// Whether an output already written by this process is refused as a
    /// second output (set by the lpsim command, whose process runs one
    /// command; a library caller may rewrite a file as often as it likes).
    nonisolated(unsafe) public static var refusesRepeatedOutputs = false
    nonisolated(unsafe) static var inputs: [FileIdentity: String] = [:]
    nonisolated(unsafe) static var outputs: [FileIdentity: String] = [:]
    static let lock = NSLock()

    /// Records `path` as an input of the running command.
    public static func recordInput(_ path: String) {
        guard let id = FileIdentity(path: path) else { return }
        lock.lock(); defer { lock.unlock() }
        // The latest name: an earlier one may belong to a deleted file whose inode was reused.
        inputs[id] = path
    }

    /// The input (as it was named) that `path` is, if any. The input's own
    /// name must still lead to that file: an inode freed by a deleted input and
    /// reused by a new file (a long-lived process, a test suite) is no input.
    public static func input(at path: String) -> String? {
        guard let id = FileIdentity(path: path) else { return nil }
        lock.lock()
        let recorded = inputs[id]
        lock.unlock()
        guard let recorded, FileIdentity(path: recorded) == id else { return nil }
        return recorded
    }

    /// The earlier output (as it was named) that `path` is, if any.
    static func output(at path: String) -> String? {
        guard refusesRepeatedOutputs, let id = FileIdentity(path: path) else { return nil }
        lock.lock()
        let recorded = outputs[id]
        lock.unlock()
        guard let recorded, FileIdentity(path: recorded) == id else { return nil }
        return recorded
    }

    static func recordOutput(_ path: String) {
        guard let id = FileIdentity(path: path) else { return }
        lock.lock(); defer { lock.unlock() }
        outputs[id] = path
    }

    /// Forgets every input and output (for tests that run several commands in one process).
    public static func reset() {
        lock.lock(); defer { lock.unlock() }
        inputs = [:]
        outputs = [:]
    }
}

/// Checks, before anything is written, that the outputs of one command name
/// distinct files and none of them is an input already read: a `Diagnostic`
/// at the second of two outputs naming one file. Paths that do not exist yet
/// are compared by their resolved directory and name.
public func checkDistinctOutputs(_ paths: [String]) throws {
    var seen: [String: String] = [:]
    for path in paths {
        // Devices and FIFOs (`/dev/null` twice) are written into, not replaced: no data to lose.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR { continue }
        let key = canonicalOutputName(path)
        if let first = seen[key] {
            throw Diagnostic(file: path, message: "names the same file as the output '\(first)'; give distinct outputs")
        }
        seen[key] = path
        if let input = FileRegistry.input(at: path) {
            throw Diagnostic(file: path, message: "is the input '\(input)' of this command; refusing to write over it")
        }
    }
    // Each target as it would be written (a directory, a missing directory, a read-only file), so that a
    // command writing several files fails before the first rather than leaving some behind.
    for path in paths { _ = try OutputTarget(path) }
}

/// `path` with its directory resolved (links and `..` followed) and, where the
/// file exists, itself resolved: one spelling per file.
func canonicalOutputName(_ path: String) -> String {
    if let id = FileIdentity(path: path) { return "id:\(id.device):\(id.inode)" }
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    guard let resolved = realpath(directory, nil) else { return "path:" + url.standardizedFileURL.path }
    defer { free(resolved) }
    return "path:" + String(cString: resolved) + "/" + url.lastPathComponent
}
