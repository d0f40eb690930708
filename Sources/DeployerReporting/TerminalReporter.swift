import DeployerModel
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A live view for a person at a terminal (see `TerminalView` for what it
/// shows), redrawn in place with ANSI cursor movement about ten times a
/// second from a timer on its own queue.
///
/// `report` only folds the event into the view under a lock and returns; the
/// timer draws, and a slow `write` holds up only the timer. Call `finish()` after the last event to draw the final frame
/// and stop the timer.
public final class TerminalReporter: Reporter, @unchecked Sendable {
    // @unchecked Sendable only for `timer`: set once in init, then only cancelled; Dispatch's sources
    // are safe to use from any thread but not marked Sendable. Everything else is immutable or a Mutex.
    /// The terminal's size in character cells.
    public typealias Size = (columns: Int, rows: Int)

    /// The view, and whether the final frame is drawn; held only to fold in an event or compute a frame.
    private let screen: Mutex<(view: TerminalView, finished: Bool)>
    /// Keeps frames in order when the timer and `finish()` draw at once; never taken by `report`.
    private let drawing = Mutex(())
    private let clock: @Sendable () -> Double
    private let size: @Sendable () -> Size
    private let write: @Sendable (String) -> Void
    private let timer: (any DispatchSourceTimer)?

    /// - Parameters:
    ///   - verbosity: `-q` shows only problems and the summary; `-v` every event above the live area.
    ///   - colors: whether to use ANSI colours (off for `NO_COLOR` and `--no-color`).
    ///   - clock: seconds on a monotonic clock, for elapsed times and the spinner.
    ///   - size: the terminal's size, asked at every frame (it can change).
    ///   - refreshInterval: seconds between frames; nil draws only on `draw()` and `finish()` (tests).
    ///   - write: receives each frame's text, in order.
    public init(verbosity: Verbosity = .normal, colors: Bool = true,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
                size: @escaping @Sendable () -> Size = TerminalReporter.standardOutputSize,
                refreshInterval: Double? = 0.1,
                write: @escaping @Sendable (String) -> Void) {
        screen = Mutex((TerminalView(verbosity: verbosity, colors: colors), false))
        self.clock = clock
        self.size = size
        self.write = write
        timer = refreshInterval.map { interval in
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "deployer.terminal-reporter"))
            timer.schedule(deadline: .now() + interval, repeating: interval)
            return timer
        }
        timer?.setEventHandler { [weak self] in self?.draw() }
        timer?.resume()
    }

    deinit { timer?.cancel() }

    public func report(_ event: DeployEvent) {
        let now = clock()
        screen.withLock { $0.view.apply(event, at: now) }
    }

    /// Brings the screen up to date now (the timer calls this).
    public func draw() {
        let now = clock()
        let (columns, rows) = size()
        drawing.withLock { _ in
            let text = screen.withLock { $0.finished ? "" : $0.view.frame(now: now, columns: columns, rows: rows) }
            if !text.isEmpty { write(text) }
        }
    }

    /// Stops the timer and draws the final frame; later events are not drawn.
    public func finish() {
        timer?.cancel()
        draw()
        screen.withLock { $0.finished = true }
    }

    /// The size of the terminal on standard output, 80×24 when it has none.
    public static func standardOutputSize() -> Size {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else {
            return (80, 24)
        }
        return (Int(window.ws_col), Int(window.ws_row))
    }
}
