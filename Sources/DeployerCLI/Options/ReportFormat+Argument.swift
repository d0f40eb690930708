import ArgumentParser
import DeployerReporting

extension ReportFormat: ExpressibleByArgument {}
