/// One sandbox at a time in this test process: tests that start hosts wait
/// their turn, whatever suite they are in (timing-sensitive tests on 2 cores).
actor SandboxGate {
    static let shared = SandboxGate()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
