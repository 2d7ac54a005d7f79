import Foundation
import Testing

/// A failed `report` leaves the previous reports whole: the set is written under temporary names first and
/// renamed only when every file is written. The full disk is a file-size limit (`ulimit -f`, with SIGXFSZ
/// ignored so that the write fails with EFBIG instead of killing the process).
struct ReportSetTests {
  @Test func aWriteThatFailsHalfwayLeavesThePreviousSetWhole() throws {
    let box = try Sandbox()
    #expect(box.run(["report", "--out", "out"]).code == 0)
    // A price change makes every conversation-history file differ from what is there.
    let path = "pricing/aws/us-east-1/dynamodb.json"
    try box.write(
      path, box.read(path)!.replacingOccurrences(of: #""price": 0.625"#, with: #""price": 0.7"#))
    let names = try FileManager.default.contentsOfDirectory(atPath: box.root + "/out").sorted()
    let before = names.map { box.read("out/" + $0) }
    // 150 blocks of 512 bytes: the 54 KB chart fits, the 230 KB page does not.
    let r = try runProcess(
      ["report", "--out", "out"], cwd: box.root, shell: "trap '' XFSZ; ulimit -f 150; exec")
    #expect(r.code == 74, "\(r.stderr)")
    #expect(
      r.stderr.contains("out/conversation-history") && r.stderr.contains("File too large"),
      "\(r.stderr)")
    let after = try FileManager.default.contentsOfDirectory(atPath: box.root + "/out").sorted()
    #expect(after == names, "no temporary file left, nothing removed")
    for (n, old) in zip(names, before) { #expect(box.read("out/" + n) == old, "\(n) was replaced") }
    // Without the limit the run completes and replaces them.
    #expect(box.run(["report", "--out", "out"]).code == 0)
    #expect(
      box.read("out/conversation-history.csv")
        != before[names.firstIndex(of: "conversation-history.csv")!])
  }
}
