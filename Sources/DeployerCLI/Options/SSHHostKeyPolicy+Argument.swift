import ArgumentParser
import SSH

extension HostKeyPolicy: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }

    public static var allValueStrings: [String] { ["strict", "accept-new", "off"] }
}
