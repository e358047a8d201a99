import Foundation

/// Text written to a file descriptor in 1 MiB chunks as it is produced, so
/// that a large output (a million-op simulation as JSON is 430 MB) is
/// never held whole.
///
/// Appends copy bytes into one reusable buffer: a `StaticString` or a
/// `String`'s UTF-8 is a `memcpy`, several times cheaper than appending to a
/// growing `String`. Use it through `writeAtomically(to:_:)` or
/// `writeStandardOutput(_:)`, which flush it and report write errors.
public struct ChunkedWriter {
    let fd: Int32
    let path: String
    var buffer: [UInt8] = []
    static let chunk = 1 << 20

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    /// Appends a string's UTF-8.
    @inlinable public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends a literal's UTF-8.
    @inlinable public mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    @usableFromInline mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.chunk { failure = failure ?? drain() }
    }

    /// The first write error, reported when the writer is finished.
    @usableFromInline var failure: String?

    /// Writes out the buffer; the error text on failure.
    mutating func drain() -> String? {
        var written = 0
        let failed: String? = buffer.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                written += n
            }
            return nil
        }
        buffer.removeAll(keepingCapacity: true)
        return failed
    }

    /// Flushes the rest.
    ///
    /// - Throws: `Diagnostic` naming the path if any write failed.
    mutating func finish() throws {
        if let error = failure ?? drain() { throw Diagnostic(file: path, message: "cannot write: \(error)") }
    }
}

/// Writes what `produce` appends to `path` whole or not at all, as
/// `writeAtomically(_:to:)` does, but in chunks as it is produced.
public func writeAtomically(to path: String, _ produce: (inout ChunkedWriter) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw Diagnostic(file: path, message: "cannot write: the directory \(directory.path) does not exist")
    }
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw Diagnostic(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
    var open = true
    do {
        var writer = ChunkedWriter(fd: fd, path: path)
        try produce(&writer)
        try writer.finish()
        open = false
        guard close(fd) == 0 else { throw Diagnostic(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
        // rename(2) replaces the target atomically on the same file system.
        guard rename(temporary.path, url.path) == 0 else {
            throw Diagnostic(file: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
    } catch {
        if open { close(fd) }
        unlink(temporary.path)
        throw error
    }
}

/// Writes what `produce` appends to standard output in chunks.
public func writeStandardOutput(_ produce: (inout ChunkedWriter) throws -> Void) throws {
    fflush(nil)   // whatever `print` buffered goes first
    var writer = ChunkedWriter(fd: STDOUT_FILENO, path: "<standard output>")
    try produce(&writer)
    try writer.finish()
}
