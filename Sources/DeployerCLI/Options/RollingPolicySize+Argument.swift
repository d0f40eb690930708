import ArgumentParser
import DeployerModel

extension RollingPolicy.Size: ExpressibleByArgument {
    /// `2` (hosts) or `40%` (of the hosts), as `rolling.batch` in a recipe.
    public init?(argument: String) {
        if argument.hasSuffix("%") {
            guard let percent = Int(argument.dropLast()), (1...100).contains(percent) else { return nil }
            self = .percent(percent)
        } else {
            guard let count = Int(argument), count >= 1 else { return nil }
            self = .count(count)
        }
    }
}
