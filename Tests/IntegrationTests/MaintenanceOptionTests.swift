import DeployerCLI
import Testing

/// `deployer maintenance` takes the options of the commands that change a fleet, but switches no batch
/// and `status` takes no lock: those options are refused, naming themselves, rather than accepted and
/// ignored.
@Suite struct MaintenanceOptionTests {
    @Test(arguments: ["on", "off", "status"])
    func batchIsRefused(action: String) {
        let message = DeployerCommand.refusal(["maintenance", "staging", action, "--batch", "2"])
        #expect(message.contains("--batch"), "\(message)")
    }

    @Test(arguments: [["--lock-wait", "5"], ["--break-stale-lock"], ["-m", "why"]])
    func statusRefusesTheLockOptions(option: [String]) {
        let message = DeployerCommand.refusal(["maintenance", "staging", "status"] + option)
        #expect(message.contains(option[0]) && message.contains("on and off"), "\(message)")
    }

    @Test func onAndOffTakeTheLockOptions() {
        for action in ["on", "off"] {
            #expect(DeployerCommand.refusal(["maintenance", "staging", action, "--lock-wait", "5", "--break-stale-lock", "-m", "why"]) == "")
        }
        #expect(DeployerCommand.refusal(["maintenance", "staging", "status", "--hosts", "web1"]) == "")
    }
}
