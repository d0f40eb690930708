/// A helper program the tests run failed.
struct TestSandboxError: Error, CustomStringConvertible {
    let command: String
    let output: String
    var description: String { "`\(command)` failed:\n\(output)" }
}
