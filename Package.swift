// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "deployer",
    // Linux with glibc only: the SSH event loop waits on an eventfd and uses TCP_QUICKACK and
    // POLLRDHUP, and children are reaped with waitid(WNOWAIT). SwiftPM cannot declare "Linux
    // only", so no `platforms:` entry claims macOS;
    // `Sources/SSH/Platform.swift` stops a build elsewhere with an error saying so.
    products: [
        .executable(name: "deployer", targets: ["deployer"]),
        // For Benchmarks/child-processes, which measures ProcessRunner against swift-subprocess.
        .library(name: "DeployerExecution", targets: ["DeployerExecution"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Local children (ProcessRunner): shared epoll and pidfd threads instead of threads per child.
        // Its default trait (SubprocessFoundation) is kept: deployer links Foundation already.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // FilePath and FileDescriptor, which swift-subprocess's API takes on Linux.
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        // libcrypto (OpenSSL), which libssh2 links already: the digests of Checksums; Blowfish and big numbers for bcrypt_pbkdf (SSH).
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "Checksums", dependencies: ["CLibCrypto"], exclude: ["README.md"]),
        // The version and the commit a binary is built from (deployer --version).
        .target(name: "DeployerBuildInfo", exclude: ["README.md"], plugins: ["BuildCommitPlugin"]),
        .plugin(name: "BuildCommitPlugin", capability: .buildTool()),
        .target(name: "CSpawn", exclude: ["README.md"]),
        // RSA signatures with SHA-2 (libssh2 1.10 has none) and OpenSSH key-file decryption (AES), on libcrypto.
        .target(name: "CKeyCrypto", exclude: ["README.md"], linkerSettings: [.linkedLibrary("crypto")]),
        .target(name: "SSH", dependencies: ["CLibSSH2", "CLibCrypto", "CKeyCrypto", "CSpawn", "Checksums"], exclude: ["README.md"]),
        .target(name: "DeployerModel", exclude: ["README.md"]),
        .target(name: "DeployerLoading", dependencies: ["DeployerModel", "Checksums", .product(name: "Yams", package: "Yams")],
                exclude: ["README.md"]),
        .target(name: "DeployerPlanning", dependencies: ["DeployerModel"], exclude: ["README.md"]),
        // The host scripts are shell files (Scripts/*.sh) compiled in as strings: a resource bundle
        // would have to sit next to the binary, which a static binary or the Debian package has not.
        .target(name: "DeployerExecution", dependencies: ["DeployerModel", "DeployerPlanning", "SSH", "Checksums", "CSpawn",
                                                  .product(name: "Subprocess", package: "swift-subprocess"),
                                                  .product(name: "SystemPackage", package: "swift-system")],
                exclude: ["README.md"], plugins: ["HostScriptsPlugin"]),
        .plugin(name: "HostScriptsPlugin", capability: .buildTool()),
        .target(name: "DeployerReporting", dependencies: ["DeployerModel"], exclude: ["README.md"]),
        .target(
            name: "DeployerCLI",
            dependencies: [
                "DeployerModel", "DeployerLoading", "DeployerPlanning", "DeployerExecution", "DeployerReporting", "SSH",
                "DeployerBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(name: "deployer", dependencies: ["DeployerCLI"], exclude: ["README.md"]),

        .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"]),
        // Test support only, shared by the fuzz tests of two modules.
        .target(name: "FuzzSupport", path: "Tests/FuzzSupport"),
        .testTarget(name: "SSHTests", dependencies: ["SSH", "DeployerExecution", "FuzzSupport"]),
        .testTarget(name: "DeployerModelTests", dependencies: ["DeployerModel"]),
        .testTarget(name: "DeployerLoadingTests", dependencies: ["DeployerLoading", "DeployerModel", "DeployerPlanning", "DeployerExecution", "FuzzSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DeployerPlanningTests", dependencies: ["DeployerPlanning", "DeployerModel"]),
        .testTarget(name: "DeployerExecutionTests", dependencies: ["DeployerExecution", "DeployerPlanning", "DeployerModel"]),
        .testTarget(name: "DeployerReportingTests", dependencies: ["DeployerReporting", "DeployerModel", "DeployerPlanning", "DeployerExecution"], resources: [.copy("Golden")]),
        .testTarget(name: "IntegrationTests", dependencies: ["DeployerCLI", "DeployerExecution", "DeployerLoading", "DeployerModel", "SSH"],
                    exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
