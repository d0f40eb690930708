import Foundation
import Testing

/// `phase: on_failure` tasks run on the hosts when a push fails, told where and why.
@Suite(.tags(.sandbox)) struct OnFailureTests {
    @Test func failureTasksRunWithTheFailureAndNeverMaskIt() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  check:
                    phase: prepare
                    run: "if [ -e /srv/fail-prepare ]; then echo config is broken >&2; exit 7; fi"
                  start:
                    phase: after_switch
                    run: "if [ -e /srv/fail-start ]; then echo port in use >&2; exit 5; fi"
                  stop_app:
                    phase: on_failure
                    run: >-
                      printf '%s|%s|%s\\n' "$DEPLOYER_FAILED_PHASE" "$DEPLOYER_FAILED_HOST" "$DEPLOYER_FAILURE"
                      >>/srv/on-failure.txt; [ ! -e /srv/fail-hook ]
                """)
            defer { app.remove() }
            try await sandbox.exec("host2", "touch /srv/fail-prepare")
            try await sandbox.exec("host1", "touch /srv/fail-hook")
            let prepare = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(prepare.status == 1, "\(prepare.output)")
            #expect(prepare.output.contains("host2: prepare task 'check' failed with exit status 7"), "\(prepare.output)")
            #expect(prepare.output.contains("on_failure tasks failed too"), "the hook's own failure is reported")
            #expect(prepare.output.contains("host1: on_failure task 'stop_app' failed"), "\(prepare.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cat /srv/on-failure.txt")
                        == "prepare|host2|host2: prepare task 'check' failed with exit status 7\n")
                #expect(try await sandbox.current(host) == nil)
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }

            // A failed first push whose switch failed: host1 switched, then went back to no release.
            try await sandbox.exec("host2", "rm /srv/fail-prepare /srv/on-failure.txt && touch /srv/fail-start")
            try await sandbox.exec("host1", "rm /srv/fail-hook /srv/on-failure.txt")
            let start = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(start.status == 1, "\(start.output)")
            #expect(!start.output.contains("on_failure tasks failed"))
            #expect(start.output.contains("host1") && start.output.contains("reverted"), "\(start.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cut -d'|' -f1,2 /srv/on-failure.txt") == "switch|host2\n")
                #expect(try await sandbox.current(host) == nil)
            }
        }
    }
}
