import ArgumentParser
import DeployerBuildInfo

/// The `deployer` command line: one subcommand per verb of DESIGN.md.
public struct DeployerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "deployer",
        abstract: "Deploy web applications over SSH: isolated releases, atomic switches, rolling batches, instant rollbacks.",
        version: BuildInfo.versionLine,
        subcommands: [
            InitCommand.self, CheckCommand.self, GraphCommand.self, DiffCommand.self,
            BuildCommand.self, PlanCommand.self, PushCommand.self, SwitchCommand.self, PromoteCommand.self, RollbackCommand.self, StatusCommand.self,
            ReleasesCommand.self, UnlockCommand.self, SharedCommand.self, MaintenanceCommand.self, TaskCommand.self, RunCommand.self,
            DoctorCommand.self,
        ]
    )

    public init() {}
}
