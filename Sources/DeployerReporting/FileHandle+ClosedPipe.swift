import Foundation

extension FileHandle {
    /// Writes `text`, dropping it when the reader has gone (`deployer plan --format json | head -c1`, a CI log
    /// pipe that closed). deployer ignores SIGPIPE once it has started a child, so such a write fails with EPIPE,
    /// and `write(_: Data)` turns that failure into a crash; a run goes on to its end, its exit status its own.
    public func writeUnlessClosed(_ text: String) {
        writeUnlessClosed(Data(text.utf8))
    }

    /// `data`, dropped when the reader has gone: see `writeUnlessClosed(_: String)`.
    public func writeUnlessClosed(_ data: Data) {
        try? write(contentsOf: data)
    }
}
