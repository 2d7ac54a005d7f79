// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "costplan",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "costplan", targets: ["costplan"]),
    .library(name: "CostModel", targets: ["CostModel"]),
    // Loaded at run time (dlopen) for https:// endpoints only: FoundationNetworking would slow every command's start.
    .library(name: "CostPlanHTTPS", type: .dynamic, targets: ["CostPlanHTTPS"]),
  ],
  dependencies: [],
  targets: [
    .target(name: "CostModel"),
    .target(name: "StorageKit"),
    .target(name: "CostPlanHTTPS"),
    .target(name: "StorageBench", dependencies: ["StorageKit", "CostModel"]),
    .target(name: "CostPlanCLI", dependencies: ["CostModel", "StorageKit", "StorageBench"]),
    .executableTarget(name: "costplan", dependencies: ["CostPlanCLI"]),
    .testTarget(name: "CostModelTests", dependencies: ["CostModel"]),
    .testTarget(name: "StorageKitTests", dependencies: ["StorageKit", "StorageBench", "CostModel"]),
    .testTarget(name: "StorageBenchTests", dependencies: ["StorageBench", "StorageKit", "CostModel"]),
    .testTarget(name: "CostPlanCLITests", dependencies: ["CostPlanCLI", "CostModel", "costplan"]),
  ]
)
