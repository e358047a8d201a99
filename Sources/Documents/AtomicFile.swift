import Foundation

/// Writes what `produce` appends to `path` whole or not at all: into a
/// temporary file in the target's directory, in chunks as it is produced,
/// then renamed over the target, so a failure or an interruption leaves any
/// earlier file untouched and no partial output.
///
/// What the target is decides how it is written (see docs/errors.md):
/// - a name ending in `/`, a directory, a read-only file (no write
///   permission, as `cp` without `-f` refuses), an input already read by this
///   command, or an output already written by it: refused, nothing written;
/// - a character device or FIFO (`/dev/null`, `/dev/stdout` on a pipe or
///   terminal): written straight into, never replaced by a regular file;
/// - a symbolic link: its target file is replaced, the link stays; a link to
///   nothing is refused;
/// - otherwise: a temporary `.lpsim-<16 random hex digits>.tmp` (it fits
///   NAME_MAX whatever the target's name) made with
///   `O_CREAT|O_EXCL|O_NOFOLLOW` and mode 0600 — so a planted file or link
///   of that name is never followed — given the target's mode (or the
///   umask's) just before the rename, and removed on SIGINT, SIGTERM or SIGHUP.
public func writeAtomically(to path: String, _ produce: (inout ChunkedWriter) throws -> Void) throws {
    let target = try OutputTarget(path)
    switch target.kind {
    case .stream(let file):
        let fd = open(file, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw target.failure() }
        defer { close(fd) }
        try ChunkedWriter.writing(to: fd, path: path, produce)
    case .replace(let file, let mode):
        let directory = (file as NSString).deletingLastPathComponent
        let (temporary, fd) = try TemporaryFiles.create(in: directory.isEmpty ? "." : directory, for: path)
        var isOpen = true
        do {
            try ChunkedWriter.writing(to: fd, path: path, produce)
            guard fchmod(fd, mode) == 0 else { throw target.failure() }
            isOpen = false
            guard close(fd) == 0 else { throw target.failure() }
            // rename(2) replaces the target atomically on the same file system.
            guard rename(temporary, file) == 0 else { throw target.failure() }
            TemporaryFiles.forget(temporary)
        } catch {
            if isOpen { close(fd) }
            TemporaryFiles.remove(temporary)
            throw error
        }
    }
    FileRegistry.recordOutput(path)
}

/// Writes `contents` to `path` whole or not at all (see `writeAtomically(to:_:)`).
public func writeAtomically(_ contents: Data, to path: String) throws {
    try writeAtomically(to: path) { writer in contents.withUnsafeBytes { writer.write(bytes: $0) } }
}

public func writeAtomically(_ text: String, to path: String) throws {
    try writeAtomically(to: path) { $0.write(text) }
}

/// Where an output goes and how, decided before anything is written.
struct OutputTarget {
    enum Kind {
        /// A device or FIFO, opened and written into.
        case stream(String)
        /// A regular file (existing or not) replaced by a renamed temporary of this mode.
        case replace(String, mode: mode_t)
    }

    let path: String
    let kind: Kind

    init(_ path: String) throws {
        self.path = path
        func refuse(_ message: String) -> Diagnostic { Diagnostic(file: path, message: "cannot write: \(message)") }
        guard !path.isEmpty else { throw refuse("an empty file name") }
        guard !path.hasSuffix("/") else { throw refuse("a file name must not end in '/'") }
        var link = stat()
        let exists = lstat(path, &link) == 0
        var file = path
        var info = stat()
        if exists && link.st_mode & S_IFMT == S_IFLNK {
            guard stat(path, &info) == 0 else { throw refuse("a symbolic link to a missing file (the link is not replaced)") }
            // Devices behind links (`/dev/stdout` → `/proc/self/fd/1` → a pipe) are written into as they are.
            if info.st_mode & S_IFMT != S_IFREG && info.st_mode & S_IFMT != S_IFDIR {
                kind = .stream(path)
                return
            }
            guard let resolved = realpath(path, nil) else { throw refuse("cannot resolve the symbolic link") }
            file = String(cString: resolved)
            free(resolved)
        } else if exists {
            info = link
        }
        if exists {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: throw refuse("is a directory, expected a file")
            case S_IFCHR, S_IFIFO, S_IFSOCK:
                kind = .stream(file)
                return
            case S_IFREG:
                // Only files can lose data this way: a terminal both read and written is no conflict.
                if let earlier = FileRegistry.output(at: file) {
                    throw refuse("names the same file as the output '\(earlier)' already written; give distinct outputs")
                }
                if let input = FileRegistry.input(at: file) {
                    throw refuse("it is the input '\(input)' of this command; refusing to write over it")
                }
                guard info.st_mode & 0o222 != 0, access(file, W_OK) == 0 else {
                    throw refuse("the file is read-only (remove it or make it writable first)")
                }
                kind = .replace(file, mode: info.st_mode & 0o7777)
                return
            default: throw refuse("not a regular file, device or FIFO")
            }
        }
        let directory = (file as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw Diagnostic(file: path, message: "cannot write: the directory \(directory) does not exist")
        }
        let mask = umask(0)
        umask(mask)
        kind = .replace(file, mode: 0o666 & ~mask)
    }

    func failure() -> Diagnostic { Diagnostic(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
}
