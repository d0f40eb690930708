import DeployerCLI
import Testing

/// `push --prepare-only` switches nothing: the options that shape a switch are refused with it rather
/// than accepted and ignored, and each refusal points at a command that exists.
@Suite struct PrepareOnlyOptionTests {
    @Test func batchIsRefusedWithPrepareOnlyAndPointsAtSwitch() {
        let message = DeployerCommand.refusal(["push", "staging", "--prepare-only", "--batch", "2"])
        #expect(message.contains("--batch") && message.contains("deployer switch"), "\(message)")
        #expect(throws: Never.self) { _ = try DeployerCommand.parseAsRoot(["switch", "staging", "20261129T034500Z-3f2a9c1", "--batch", "2"]) }
    }

    @Test func maintenanceWithPrepareOnlyPointsAtACommandThatExists() {
        let message = DeployerCommand.refusal(["push", "staging", "--prepare-only", "--maintenance"])
        #expect(message.contains("deployer maintenance"), "\(message)")
        #expect(throws: Never.self) { _ = try DeployerCommand.parseAsRoot(["maintenance", "staging", "on"]) }
    }
}
