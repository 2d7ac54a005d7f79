import Foundation

/// Phase timings on stderr when `COSTPLAN_TIMINGS=1`: what `scripts/bench-report.sh` needs to say where the time
/// of a `report` goes. Off by default; a disabled measure costs one load of a constant.
public enum Timings {
  public static let enabled = ProcessInfo.processInfo.environment["COSTPLAN_TIMINGS"] == "1"
  static let start = Date()

  @inline(__always)
  public static func measure<T, E: Error>(
    _ name: @autoclosure () -> String, _ body: () throws(E) -> T
  ) throws(E) -> T {
    guard enabled else { return try body() }
    let t = Date()
    defer {
      let now = Date()
      let line = String(
        format: "timing %-40@ %7.2f ms  (at %7.2f ms)\n", name() as NSString,
        now.timeIntervalSince(t) * 1000, now.timeIntervalSince(start) * 1000)
      FileHandle.standardError.write(Data(line.utf8))
    }
    return try body()
  }
}
