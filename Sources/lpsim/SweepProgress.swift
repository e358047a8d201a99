import Foundation
import Synchronization

/// Progress of a sweep on standard error: on a terminal a bar redrawn in
/// place with rate and ETA (at most ten times a second); otherwise a plain
/// line every five seconds; nothing with `--quiet`.
final class SweepProgress: Sendable {
    let quiet: Bool
    let tty = isatty(STDERR_FILENO) == 1
    let total: Int
    let start = Date()
    private let last = Mutex<(time: Double, drew: Bool)>((0, false))

    init(quiet: Bool, total: Int) {
        self.quiet = quiet
        self.total = total
    }

    func update(_ done: Int, _ total: Int) {
        guard !quiet else { return }
        let t = Date().timeIntervalSince(start)
        let due = last.withLock { state -> Bool in
            guard t - state.time >= (tty ? 0.1 : 5) || done == total else { return false }
            state = (t, true)
            return true
        }
        guard due else { return }
        let rate = t > 0 ? Double(done) / t : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let percent = total > 0 ? Double(done) / Double(total) : 1
        let stats = "\(done)/\(total) points, \(Int(rate)) points/s, ETA \(Self.duration(eta))"
        if tty {
            let filled = Int(percent * 30)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
            let line = "\r[\(bar)] \(String(format: "%3.0f", percent * 100))% \(stats)\u{1B}[K"
            FileHandle.standardError.write(Data(line.utf8))
        } else {
            FileHandle.standardError.write(Data("sweep: \(String(format: "%.0f", percent * 100))% \(stats)\n".utf8))
        }
    }

    /// Ends the bar's line on a terminal.
    func finish() {
        if !quiet && tty && last.withLock({ $0.drew }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ s: Double) -> String {
        s < 60 ? String(format: "%.0f s", s)
            : s < 3600 ? String(format: "%.0f min", s / 60) : String(format: "%.1f h", s / 3600)
    }
}

/// SIGINT during a sweep: the first asks the runner to stop after the chunks
/// in flight (the rows written stay whole); the signal is then handled, not fatal.
enum SweepInterrupt {
    private static let flag = Atomic<Bool>(false)
    nonisolated(unsafe) private static var source: DispatchSourceSignal?

    static var requested: Bool { flag.load(ordering: .relaxed) }

    static func install() {
        signal(SIGINT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        s.setEventHandler { flag.store(true, ordering: .relaxed) }
        s.resume()
        source = s
    }
}
