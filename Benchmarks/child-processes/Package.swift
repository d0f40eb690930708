// swift-tools-version:6.2
import Foundation
import PackageDescription

/// SwiftPM names a local package after its folder: the deployer checkout's, whatever it is called.
let deployer = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../..").standardized.lastPathComponent.lowercased()

// Measures what local child processes cost the controller: deployer's ProcessRunner (posix_spawn,
// a thread per stream and one waiting) against swift-subprocess (two shared threads, epoll and pidfd).
// Not part of the deployer build: `swift run -c release child-processes --help` in this folder.
let package = Package(
    name: "child-processes",
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2"),
    ],
    targets: [
        .executableTarget(
            name: "child-processes",
            dependencies: [
                .product(name: "DeployerExecution", package: deployer),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
