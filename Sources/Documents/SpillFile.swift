import Foundation

/// A scratch file for what a command must write after something it learns
/// only at the end (a simulation's totals come before its ops): records are
/// appended as they are made, then read back once, in order.
///
/// The file is made in `$TMPDIR` (or `/tmp`) as a temporary output is
/// (`O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600, a random name, registered for
/// removal on SIGINT/SIGTERM/SIGHUP) and unlinked at once: only the open
/// descriptor keeps it, so no name is ever left behind, whatever ends the
/// process. Reads and writes go through one 1 MiB buffer; memory does not
/// grow with what the file holds.
public final class SpillFile {
    let fd: Int32
    let buffer: UnsafeMutableRawBufferPointer
    /// Bytes buffered (writing) or the read position in the buffer.
    var count = 0
    /// Bytes valid in the buffer while reading.
    var filled = 0
    var reading = false
    /// The first I/O error, with the file's purpose.
    public private(set) var failure: String?
    /// Bytes appended.
    public private(set) var size = 0

    /// - Parameter purpose: what the file holds, for messages.
    public init(purpose: String) throws {
        let environment = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        let directory = environment.isEmpty ? "/tmp"
            : (environment.hasSuffix("/") ? String(environment.dropLast()) : environment)
        let made: (String, Int32)
        do {
            made = try TemporaryFiles.create(in: directory, for: directory, access: O_RDWR)
        } catch let d as Diagnostic {
            let why = d.message.hasPrefix("cannot write: ") ? String(d.message.dropFirst(14)) : d.message
            throw Diagnostic(file: directory,
                             message: "cannot make a scratch file for \(purpose) in this $TMPDIR: \(why)")
        }
        let (path, fd) = made
        TemporaryFiles.remove(path)
        self.fd = fd
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Appends a value's bytes (a trivial type: integers, doubles, SIMD vectors).
    @inline(__always)
    public func append<T>(_ value: T) {
        withUnsafeBytes(of: value) { append(bytes: $0) }
    }

    /// Appends a string as its UTF-8 length (UInt32) and bytes.
    public func append(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            append(UInt32(truncatingIfNeeded: utf8.count))
            append(bytes: UnsafeRawBufferPointer(utf8))
        }
    }

    public func append(bytes: UnsafeRawBufferPointer) {
        precondition(!reading, "SpillFile: append after reading began")
        size += bytes.count
        var bytes = bytes
        while !bytes.isEmpty {
            if count == buffer.count { flush() }
            let n = min(bytes.count, buffer.count - count)
            (buffer.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: n)
            count += n
            bytes = UnsafeRawBufferPointer(rebasing: bytes[n...])
        }
    }

    func flush() {
        var written = 0
        while failure == nil, written < count {
            let n = write(fd, buffer.baseAddress! + written, count - written)
            if n >= 0 { written += n } else if errno != EINTR { failure = String(cString: strerror(errno)) }
        }
        count = 0
    }

    /// Ends writing: what was appended is read from the start from now on.
    ///
    /// - Throws: a `Diagnostic` if a write failed (a full disk).
    public func rewind() throws {
        flush()
        if failure == nil, lseek(fd, 0, SEEK_SET) != 0 { failure = String(cString: strerror(errno)) }
        try check()
        reading = true
        count = 0
        filled = 0
    }

    /// Throws the first I/O error, if any.
    public func check() throws {
        if let failure {
            throw Diagnostic(file: "lpsim", message: "cannot use the scratch file in $TMPDIR (or /tmp): \(failure)")
        }
    }

    /// Reads the next value appended with `append(_:)` (zero bytes past the end or after an error).
    @inline(__always)
    public func read<T>(_ type: T.Type) -> T {
        let n = MemoryLayout<T>.size
        if filled - count < n { refill(needing: n) }
        guard filled - count >= n else {
            if failure == nil { failure = "the scratch file ended early" }
            return withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { p in
                UnsafeMutableRawBufferPointer(p).initializeMemory(as: UInt8.self, repeating: 0)
                return p[0]
            }
        }
        defer { count += n }
        return buffer.loadUnaligned(fromByteOffset: count, as: T.self)
    }

    /// Reads the next string appended with `append(_:)`.
    public func readString() -> String {
        let n = Int(read(UInt32.self))
        if n <= buffer.count {
            if filled - count < n { refill(needing: n) }
            guard filled - count >= n else {
                if failure == nil { failure = "the scratch file ended early" }
                return ""
            }
            defer { count += n }
            return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[count..<count + n]), as: UTF8.self)
        }
        // A string longer than the buffer (an op name of over 1 MiB): read in pieces.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(n)
        while bytes.count < n, failure == nil {
            if filled == count { refill(needing: 1) }
            if filled == count { failure = "the scratch file ended early"; break }
            let take = min(n - bytes.count, filled - count)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[count..<count + take]))
            count += take
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Moves what is left to the buffer's start and reads until `n` bytes are there (or the end).
    func refill(needing n: Int) {
        let left = filled - count
        if left > 0, count > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + count, byteCount: left) }
        filled = left
        count = 0
        while failure == nil, filled < n {
            let got = Foundation.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if got > 0 { filled += got } else if got == 0 { break } else if errno != EINTR {
                failure = String(cString: strerror(errno))
            }
        }
    }
}
