import DeployerExecution
import Foundation
import Subprocess
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// child-processes RUNNER CHILDREN BYTES: starts CHILDREN copies of `sh -c 'cat; sleep 0.5'` at once,
// each given BYTES on standard input and read back, through RUNNER (`deployer` or `subprocess`), and
// prints one JSON line: wall seconds, the most threads seen (sampled every 5 ms), peak RSS.
let arguments = CommandLine.arguments
guard arguments.count == 4, let children = Int(arguments[2]), let bytes = Int(arguments[3]),
      ["deployer", "subprocess"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: child-processes deployer|subprocess CHILDREN BYTES\n".utf8))
    exit(2)
}
let runner = arguments[1]
let payload = [UInt8](repeating: UInt8(ascii: "x"), count: bytes)
let script = "cat; sleep 0.5"

/// The most threads this process had at once, sampled from /proc/self/status.
let peakThreads = Atomic<Int>(0)
let sampling = Atomic<Bool>(true)
Thread {
    while sampling.load(ordering: .relaxed) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Threads:") }),
           let count = Int(line.dropFirst(8).trimmingCharacters(in: .whitespaces)) {
            _ = peakThreads.max(count, ordering: .relaxed)
        }
        usleep(5_000)
    }
}.start()

func viaProcessRunner() async throws -> Int {
    let output = try await ProcessRunner.run("/bin/sh", ["-c", script], stdin: payload)
    return output.stdout.count
}

func viaSubprocess() async throws -> Int {
    let result = try await Subprocess.run(.path("/bin/sh"), arguments: ["-c", script], input: .inputWriter,
                                          output: .sequence, error: .discarded) { execution in
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                _ = try await execution.standardInputWriter.write(payload)
                try await execution.standardInputWriter.finish()
                return 0
            }
            group.addTask {
                var count = 0
                for try await buffer in execution.standardOutput { count += buffer.count }
                return count
            }
            var total = 0
            for try await count in group { total += count }
            return total
        }
    }
    return result.closureResult
}

let start = ContinuousClock.now
let received = try await withThrowingTaskGroup(of: Int.self) { group in
    for _ in 0..<children {
        group.addTask { runner == "deployer" ? try await viaProcessRunner() : try await viaSubprocess() }
    }
    var total = 0
    for try await count in group { total += count }
    return total
}
let seconds = start.duration(to: .now)
sampling.store(false, ordering: .relaxed)
var usage = rusage()
getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
let wall = Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18
print(#"{"runner":"\#(runner)","children":\#(children),"bytes":\#(bytes),"ok":\#(received == children * bytes),"#
      + #""wall_s":\#(String(format: "%.2f", wall)),"peak_threads":\#(peakThreads.load(ordering: .relaxed)),"#
      + #""peak_rss_mb":\#(String(format: "%.1f", Double(usage.ru_maxrss) / 1024))}"#)
