// Compiled into every fuzz target (Scripts/fuzz): the input as text and a
// property check that libFuzzer records as a crash, with its input saved.

/// The fuzzer's bytes as a String (invalid UTF-8 becomes U+FFFD, as when deployer reads a file).
func fuzzText(_ start: UnsafeRawPointer, _ count: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
}

/// Stops the run (libFuzzer saves the input as a crash) when a property does not hold.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property violated: " + message()) }
}
