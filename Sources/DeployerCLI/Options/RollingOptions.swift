import ArgumentParser
import DeployerModel

/// Options of the commands that switch hosts in rolling batches (push, rollback).
struct RollingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Hosts switched per batch: a number (2) or a percentage of the hosts (40%). "
                               + "Overrides the recipe's rolling.batch; see docs/rolling.md.", valueName: "N|N%"))
    var batch: RollingPolicy.Size?
}
