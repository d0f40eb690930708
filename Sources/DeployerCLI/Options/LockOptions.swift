import ArgumentParser

/// Options of the commands that take the deploy lock (push, rollback).
struct LockOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Wait up to this many seconds for a held lock before giving up (exit 3). After the wait, "
                               + "a push decides again from what the hosts run: nothing to do if the other run shipped the same revision.",
                               valueName: "seconds"))
    var lockWait: Double = 0

    @Flag(help: "Take over a lock whose holder stopped refreshing it (recorded in history).")
    var breakStaleLock = false

    @Option(name: [.customShort("m"), .long], help: "A message recorded with the lock and in history.")
    var message: String?

    func validate() throws {
        guard lockWait >= 0 else { throw ValidationError("--lock-wait must be 0 or more seconds") }
    }
}
