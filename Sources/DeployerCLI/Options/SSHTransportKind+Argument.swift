import ArgumentParser
import DeployerModel

extension SSHTransportKind: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
