// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "costplan",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "costplan", targets: ["costplan"]),
    .library(name: "CostModel", targets: ["CostModel"]),
    .library(name: "CostReports", targets: ["CostReports"]),
    // Loaded at run time (dlopen) for https:// endpoints only: FoundationNetworking would slow every command's start.
    .library(name: "CostPlanHTTPS", type: .dynamic, targets: ["CostPlanHTTPS"]),
  ],
  dependencies: [],
  targets: [
    .target(name: "CostModel"),
    // The renderers (Markdown, HTML, CSV, JSON, charts, the terminal table): the model returns values and cannot
    // depend on them.
    .target(name: "CostReports", dependencies: ["CostModel"]),
    .target(name: "StorageKit"),
    .target(name: "CostPlanHTTPS"),
    .target(name: "StorageBench", dependencies: ["StorageKit", "CostModel", "CostReports"]),
    .target(
      name: "CostPlanCLI", dependencies: ["CostModel", "CostReports", "StorageKit", "StorageBench"]),
    .executableTarget(name: "costplan", dependencies: ["CostPlanCLI"]),
    .testTarget(name: "CostModelTests", dependencies: ["CostModel", "CostReports"]),
    .testTarget(
      name: "StorageKitTests", dependencies: ["StorageKit", "StorageBench", "CostModel"]),
    .testTarget(
      name: "StorageBenchTests", dependencies: ["StorageBench", "StorageKit", "CostModel"]),
    .testTarget(
      name: "CostPlanCLITests",
      dependencies: ["CostPlanCLI", "CostModel", "CostReports", "StorageKit", "costplan"]),
  ]
)

// The model is optimized in debug builds too, as one whole module: sampling prices every option at every scale
// thousands of times (docs/model.md §10), through pricers generic over the number type. File by file, even with
// -O, a pricer in one file called from another runs unspecialized (generic metadata looked up at every step), and
// `swift run costplan compare` on the shipped scenarios (10,000 draws) took 7.1 s; whole-module, 0.8 s. The
// `-num-threads` keeps one object file per source file, which debug builds' indexing expects (plain `-wmo` fails
// there with "index output filenames do not match input source files"), and `-disable-batch-mode` quiets the
// driver's warning that whole-module compilation ignores SwiftPM's batch mode. Tests still see its internals
// (@testable).
if let model = package.targets.first(where: { $0.name == "CostModel" }) {
  model.swiftSettings = [
    .unsafeFlags(
      ["-O", "-wmo", "-num-threads", "2", "-disable-batch-mode"], .when(configuration: .debug))
  ]
}

// Release builds of costplan link the Swift runtime and Foundation statically: start-up then skips loading and
// binding 20 shared libraries (`costplan report` 35 → 19 ms; the goal is 3x a Foundation "hello", 8–11 ms here).
// Debug builds and the https library (loaded with dlopen, see HTTPSTransport) stay dynamic.
let staticInRelease = SwiftSetting.unsafeFlags(
  ["-static-stdlib"], .when(platforms: [.linux], configuration: .release))
for target in package.targets where target.type != .test && target.name != "CostPlanHTTPS" {
  target.swiftSettings = (target.swiftSettings ?? []) + [staticInRelease]
  if target.type == .executable {
    target.linkerSettings = [
      .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))
    ]
  }
}
