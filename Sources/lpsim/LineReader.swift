import Documents
import Foundation

/// The lines of a text input read in chunks with `read(2)` — a file, a
/// FIFO, a device or standard input — each handed over in place, so memory
/// stays at one buffer whatever the input's size (an endless `/dev/zero`
/// is refused at its first over-long line, never held).
struct LineReader {
    /// The longest line accepted; a longer one is an error naming the limit.
    static let maximumLine = 1 << 16

    let displayName: String
    let fd: Int32

    /// Opens `path` (nil or "-" for standard input), checked as every input is.
    init(path: String?) throws {
        if let path, path != "-" {
            try checkInputFile(path)
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw Diagnostic(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
            displayName = path
            self.fd = fd
        } else {
            displayName = "<stdin>"
            fd = STDIN_FILENO
        }
    }

    func close() { if fd != STDIN_FILENO { _ = Foundation.close(fd) } }

    /// Calls `body` with each line (without its `\n` or a final `\r`) and its 1-based number.
    func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        let chunk = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk + Self.maximumLine + 1)
        defer { buffer.deallocate() }
        var filled = 0, number = 0
        func emit(_ start: Int, _ end: Int) throws {
            number += 1
            var stop = end
            if stop > start, buffer[stop - 1] == 0x0D { stop -= 1 }
            try body(UnsafeBufferPointer(start: buffer + start, count: stop - start), number)
        }
        while true {
            let n = read(fd, buffer + filled, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw Diagnostic(file: displayName, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            filled += n
            var start = 0
            while start < filled, let hit = memchr(buffer + start, 0x0A, filled - start) {
                let end = hit.assumingMemoryBound(to: UInt8.self) - buffer
                if end - start > Self.maximumLine { throw tooLong(number + 1) }
                try emit(start, end)
                start = end + 1
            }
            let rest = filled - start
            if rest > Self.maximumLine { throw tooLong(number + 1) }
            if start > 0 && rest > 0 { memmove(buffer, buffer + start, rest) }
            filled = rest
        }
        if filled > 0 { try emit(0, filled) }
    }

    func tooLong(_ line: Int) -> Diagnostic {
        Diagnostic(file: displayName, line: line, column: 1,
                   message: "a line longer than \(Self.maximumLine) bytes: one number per line is expected")
    }
}

/// The 1-based column (in characters) of the first byte of `line` that is
/// not valid UTF-8, or nil where the whole line is valid.
func firstInvalidUTF8Column(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0, column = 1
    while i < line.count {
        let b = line[i]
        if b < 0x80 { i += 1; column += 1; continue }
        let length = b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
        guard length > 0, i + length <= line.count,
              String(validating: UnsafeBufferPointer(rebasing: line[i..<i + length]), as: UTF8.self) != nil else { return column }
        i += length
        column += 1
    }
    return nil
}
