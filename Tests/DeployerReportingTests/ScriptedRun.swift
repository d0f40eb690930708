import DeployerModel

/// Fixed event sequences shaped like the executor's: a push to three hosts
/// with one skipped task and a failing migration whose stderr echoes the
/// secrets, then a rollback.
enum ScriptedRun {
    /// The secrets of the runs, by name: one plain, one that needs shell quoting.
    static let secrets = ["DB_PASSWORD": "s3cr3t-Pa55", "API_TOKEN": "tok'en 42"]

    static let previous = ReleaseID(rawValue: "20261128T101500Z-aa11bb2")
    static let release = ReleaseID(rawValue: "20261129T034500Z-3f2a9c1")
    static let revision = "3f2a9c1d0e4b5a69788776655443322110ffeedd"
    static let hosts = ["web1", "web2", "db1"]

    /// `deployer push prod`: prepare succeeds everywhere (db1 skips collectstatic),
    /// then `migrate` fails on db1 before any host switches.
    static let failedPush: [DeployEvent] = {
        var events: [DeployEvent] = [
            .runStarted(action: .push, environment: "prod", runID: "run-7f3e", hosts: hosts),
            .artifactReady(revision: revision, digest: "9c1d2e3f4a5b6c7d8e9f00112233445566778899aabbccddeeff001122334455",
                           bytes: 48_213),
            .releaseChosen(release: release, revision: revision),
        ]
        for (index, host) in hosts.enumerated() {
            events += [
                .hostConnected(host: host, seconds: 0.12 + Double(index) * 0.01),
                .probed(host: host, current: previous),
                .stepStarted(host: host, step: .lock),
                .lockAcquired(host: host),
                .stepFinished(host: host, step: .lock, seconds: 0.05, outcome: .succeeded),
            ]
        }
        for host in hosts {
            events += [
                .stepStarted(host: host, step: .upload),
                .stepFinished(host: host, step: .upload, seconds: 0.4, outcome: .succeeded),
                .stepStarted(host: host, step: .prepare),
                .envReady(host: host, name: "venv", directory: "/srv/newsbudget/envs/venv-5d41402abc4b",
                          reused: host != "web1"),
            ]
            if host == "db1" {
                events.append(.taskSkipped(host: host, task: "collectstatic", phase: .prepare,
                                           reason: "not on role web"))
            } else {
                events += [
                    .taskStarted(host: host, task: "collectstatic", phase: .prepare),
                    .taskFinished(host: host, task: "collectstatic", phase: .prepare, seconds: 1.8, exitStatus: 0),
                ]
            }
            events.append(.stepFinished(host: host, step: .prepare, seconds: 2.6, outcome: .succeeded))
        }
        events += [
            .stepStarted(host: "db1", step: .beforeSwitch),
            .taskStarted(host: "db1", task: "migrate", phase: .beforeSwitch,
                         command: "venv/bin/python manage.py migrate --noinput"),
            .taskFinished(host: "db1", task: "migrate", phase: .beforeSwitch, seconds: 0.9, exitStatus: 1),
            .stepFinished(host: "db1", step: .beforeSwitch, seconds: 1.0, outcome: .failed(
                task: "migrate", exitStatus: 1, message: "",
                stderrTail: [
                    "Traceback (most recent call last):",
                    "psycopg2.OperationalError: password authentication failed (password=s3cr3t-Pa55)",
                    "+ curl -H 'Authorization: tok'\\''en 42' \u{1B}[31mhttps://api.example\r",
                ], command: "venv/bin/python manage.py migrate --noinput")),
        ]
        for host in hosts {
            events += [
                .stepStarted(host: host, step: .unlock),
                .lockReleased(host: host),
                .stepFinished(host: host, step: .unlock, seconds: 0.05, outcome: .succeeded),
            ]
        }
        events.append(.summary(RunSummary(
            action: .push, result: .failed, release: release,
            message: "db1: before_switch task 'migrate' failed with exit status 1; no host switched: "
                + "every host still runs \(previous).\nFix the task and run `deployer push prod` again.",
            hosts: hosts.map { RunSummary.HostState(host: $0, current: previous, known: true, lockReleased: true) },
            seconds: 14.25)))
        return events
    }()

    /// `deployer rollback prod` after a good push: every host switches back and restarts.
    static let rollback: [DeployEvent] = {
        var events: [DeployEvent] = [
            .runStarted(action: .rollback, environment: "prod", runID: "run-8a01", hosts: hosts),
        ]
        for host in hosts {
            events += [
                .hostConnected(host: host, seconds: 0.11),
                .probed(host: host, current: release),
                .stepStarted(host: host, step: .lock),
                .lockAcquired(host: host),
                .stepFinished(host: host, step: .lock, seconds: 0.04, outcome: .succeeded),
            ]
        }
        for host in hosts {
            events += [
                .stepStarted(host: host, step: .switch),
                .switched(host: host, from: release, to: previous, kind: .rollback),
            ]
            if host == "db1" {
                events.append(.taskSkipped(host: host, task: "restart", phase: .afterSwitch, reason: "not on role web"))
            } else {
                events += [
                    .taskStarted(host: host, task: "restart", phase: .afterSwitch),
                    .taskFinished(host: host, task: "restart", phase: .afterSwitch, seconds: 0.7, exitStatus: 0),
                ]
            }
            events += [
                .stepFinished(host: host, step: .switch, seconds: 0.9, outcome: .succeeded),
                .stepStarted(host: host, step: .finish),
                .lockReleased(host: host),
                .stepFinished(host: host, step: .finish, seconds: 0.2, outcome: .succeeded),
            ]
        }
        events.append(.summary(RunSummary(
            action: .rollback, result: .succeeded, release: previous,
            message: "every host runs \(previous)",
            hosts: hosts.map { RunSummary.HostState(host: $0, current: previous, known: true, lockReleased: true) },
            seconds: 3.5)))
        return events
    }()
}
