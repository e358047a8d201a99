import Foundation

/// Text written to a file descriptor in 1 MiB chunks as it is produced, so
/// that a large output (a million-op simulation as JSON is 430 MB) is
/// never held whole.
///
/// An append copies the string's UTF-8 into one fixed buffer with `memcpy`,
/// several times cheaper than appending to a growing `String`. Use it
/// through `writeAtomically(to:_:)` or `writeStandardOutput(_:)`, which own
/// its buffer, flush it and report write errors.
public struct ChunkedWriter: TextOutputStream {
    let fd: Int32
    let path: String
    let buffer: UnsafeMutableRawBufferPointer
    var count = 0
    /// Bytes appended so far (written or buffered).
    public private(set) var total = 0
    /// The first write error, reported when the writer is finished.
    var failure: String?

    /// Writes `produce`'s text to `fd`, flushed at the end.
    ///
    /// - Throws: what `produce` throws, or a `Diagnostic` naming `path` if a
    ///   write failed.
    static func writing(to fd: Int32, path: String, _ produce: (inout ChunkedWriter) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var writer = ChunkedWriter(fd: fd, path: path, buffer: buffer)
        try produce(&writer)
        writer.drain()
        if let error = writer.failure { throw Diagnostic(file: path, message: "cannot write: \(error)") }
    }

    /// Appends a string's UTF-8.
    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends raw bytes.
    public mutating func write(bytes: UnsafeRawBufferPointer) { append(bytes) }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        total += bytes.count
        if count + bytes.count > buffer.count { drain() }
        if bytes.count >= buffer.count { return send(bytes) }
        guard let source = bytes.baseAddress else { return }
        (buffer.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Writes out what the buffer holds.
    mutating func drain() {
        send(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        count = 0
    }

    /// Writes `bytes` to the descriptor, remembering the first failure.
    mutating func send(_ bytes: UnsafeRawBufferPointer) {
        var written = 0
        while failure == nil, written < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n >= 0 { written += n } else if errno != EINTR { failure = String(cString: strerror(errno)) }
        }
    }
}

/// Writes what `produce` appends to standard output in chunks.
public func writeStandardOutput(_ produce: (inout ChunkedWriter) throws -> Void) throws {
    fflush(nil)   // whatever `print` buffered goes first
    try ChunkedWriter.writing(to: STDOUT_FILENO, path: "<standard output>", produce)
}
