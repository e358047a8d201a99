import Foundation

/// The temporary files of outputs being written, removed if the process is
/// interrupted (SIGINT, SIGTERM, SIGHUP) before they are renamed into place.
///
/// The signal handler may only call async-signal-safe functions, so the
/// live names are kept as C strings in fixed slots it reads without locks or
/// allocation; it unlinks them, restores the default action and re-raises
/// the signal, so the exit status still says which signal ended the process.
enum TemporaryFiles {
    static let slotCount = 16
    /// Each slot a NUL-terminated path or an empty string.
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let s = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: slotCount)
        s.initialize(repeating: nil, count: slotCount)
        return s
    }()
    static let lock = NSLock()
    nonisolated(unsafe) static var installed = false

    /// Creates a fresh temporary file in `directory` for the output `path`:
    /// `O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600, a name of 16 random hex digits,
    /// opened write-only (or `access`, `O_RDWR` for a scratch file read back).
    static func create(in directory: String, for path: String, access: Int32 = O_WRONLY) throws -> (String, Int32) {
        installHandlers()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let digits = String(generator.next() as UInt64, radix: 16)
            let name = ".lpsim-" + String(repeating: "0", count: 16 - digits.count) + digits + ".tmp"
            let temporary = directory + "/" + name
            register(temporary)
            let fd = open(temporary, access | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 { return (temporary, fd) }
            let error = errno
            forget(temporary)
            if error != EEXIST {
                throw Diagnostic(file: path, message: "cannot write: \(String(cString: strerror(error)))")
            }
        }
        throw Diagnostic(file: path, message: "cannot write: no free temporary name in \(directory)")
    }

    static func remove(_ temporary: String) {
        unlink(temporary)
        forget(temporary)
    }

    static func register(_ temporary: String) {
        lock.lock(); defer { lock.unlock() }
        for i in 0..<slotCount where slots[i] == nil {
            slots[i] = strdup(temporary)
            return
        }
    }

    static func forget(_ temporary: String) {
        lock.lock(); defer { lock.unlock() }
        for i in 0..<slotCount {
            if let p = slots[i], String(cString: p) == temporary {
                slots[i] = nil
                free(p)
                return
            }
        }
    }

    static func installHandlers() {
        lock.lock(); defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        _ = slots   // made now, not lazily inside the handler
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            // A signal the caller ignores (nohup, a background job) stays ignored.
            var previous = sigaction()
            sigaction(signal, nil, &previous)
            #if canImport(Glibc) || canImport(Musl)
            let ignored = unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self) == 1
            #else
            let ignored = unsafeBitCast(previous.__sigaction_u.__sa_handler, to: Int.self) == 1
            #endif
            if ignored { continue }
            var action = sigaction()
            #if canImport(Glibc) || canImport(Musl)
            action.__sigaction_handler.sa_handler = removeTemporariesAndReraise
            #else
            action.__sigaction_u.__sa_handler = removeTemporariesAndReraise
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }
}

/// The signal handler: async-signal-safe calls only (unlink, signal, raise).
private func removeTemporariesAndReraise(_ signalNumber: Int32) {
    for i in 0..<TemporaryFiles.slotCount {
        if let p = TemporaryFiles.slots[i] { unlink(p) }
    }
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}
