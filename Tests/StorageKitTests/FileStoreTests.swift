import Foundation
import Testing

@testable import StorageKit

#if canImport(Glibc)
  import Glibc
#endif

struct FileStoreTests {
  @Test func objectPerEntityCountsLikeS3() throws {
    let dir = TempDir()
    let s = try FileStore(directory: dir.path, layout: .objectPerEntity)
    for (i, t) in ["one", "two", "three"].enumerated() {
      #expect(try s.append(entity: "a", body: text(t), at: Int64(1000 * (i + 1))) == i + 1)
    }
    // Each append rewrites the object from what this store wrote last: 3 PUTs, no GET.
    #expect(s.counters["PUT"] == 3 && s.counters["GET"] == 0)
    let loaded = try s.load(entity: "a", since: nil)
    #expect(
      bodies(loaded) == ["one", "two", "three"] && loaded.map(\.seq) == [1, 2, 3]
        && loaded.map(\.at) == [1000, 2000, 3000])
    #expect(bodies(try s.load(entity: "a", since: 2000)) == ["two", "three"])
    #expect(s.counters["GET"] == 2)
    // Object size: 4 magic + 4 + 1 ("a") + 4 count + 3 × 20 framing + 11 body bytes + 4 CRC = 88.
    #expect(try s.storedBytes() == 88)
    #expect(try s.storedRecords() == 3)
  }

  @Test func anotherWriterForcesARead() throws {
    let dir = TempDir()
    let first = try FileStore(directory: dir.path, layout: .objectPerEntity)
    try first.append(entity: "a", body: text("1"), at: 1)
    // A second store (another process) has not seen the object: it must GET before it rewrites it.
    let second = try FileStore(directory: dir.path, layout: .objectPerEntity)
    #expect(try second.append(entity: "a", body: text("2"), at: 2) == 2)
    #expect(second.counters["GET"] == 1 && second.counters["PUT"] == 1)
    // The first store's copy is now stale: it reads again instead of losing record 2.
    #expect(try first.append(entity: "a", body: text("3"), at: 3) == 3)
    #expect(first.counters["GET"] == 1)
    #expect(bodies(try first.load(entity: "a", since: nil)) == ["1", "2", "3"])
  }

  @Test func objectPerRecordCountsLikeS3() throws {
    let dir = TempDir()
    let s = try FileStore(directory: dir.path, layout: .objectPerRecord)
    for (i, t) in ["one", "two", "three"].enumerated() {
      #expect(try s.append(entity: "a", body: text(t), at: Int64(1000 * (i + 1))) == nil)
    }
    #expect(s.counters["PUT"] == 3)
    let all = try s.load(entity: "a", since: nil)
    #expect(bodies(all) == ["one", "two", "three"] && all.map(\.seq) == [1, 2, 3])
    #expect(s.counters["LIST"] == 1 && s.counters["GET"] == 3)
    let recent = try s.load(entity: "a", since: 2000)
    #expect(bodies(recent) == ["two", "three"] && recent.map(\.seq) == [2, 3])
    #expect(s.counters["LIST"] == 2 && s.counters["GET"] == 5)
    #expect(try s.expire(before: 2500) == 2)
    #expect(bodies(try s.load(entity: "a", since: nil)) == ["three"])
    #expect(try s.storedRecords() == 1)
  }

  @Test(arguments: FileStore.Layout.allCases)
  func expiryRemovesWhatIsPastRetentionAndNothingElse(layout: FileStore.Layout) throws {
    let dir = TempDir()
    let s = try FileStore(directory: dir.path, layout: layout)
    try s.append(entity: "old", body: text("o1"), at: 1_000)
    try s.append(entity: "old", body: text("o2"), at: 2_000)
    try s.append(entity: "mixed", body: text("m1"), at: 1_500)
    try s.append(entity: "mixed", body: text("m2"), at: 9_000)
    try s.append(entity: "new", body: text("n1"), at: 9_500)
    let removed = try s.expire(before: 5_000)
    #expect(bodies(try s.load(entity: "old", since: nil)).isEmpty)
    #expect(bodies(try s.load(entity: "new", since: nil)) == ["n1"])
    switch layout {
    case .objectPerEntity:
      // The object is the unit: "mixed" was written at 9,000, so S3's lifecycle keeps all of it.
      #expect(removed == 2)
      #expect(bodies(try s.load(entity: "mixed", since: nil)) == ["m1", "m2"])
    case .objectPerRecord:
      #expect(removed == 3)
      #expect(bodies(try s.load(entity: "mixed", since: nil)) == ["m2"])
    }
    #expect(try s.expire(before: 5_000) == 0)
  }

  @Test(arguments: FileStore.Layout.allCases)
  func hostileEntityIdsAreDataNotPaths(layout: FileStore.Layout) throws {
    let dir = TempDir()
    let s = try FileStore(directory: dir.path, layout: layout)
    for (i, e) in hostileEntities.enumerated() {
      try s.append(entity: e, body: text("r\(i)"), at: 1)
    }
    let reopened = try FileStore(directory: dir.path, layout: layout)
    for (i, e) in hostileEntities.enumerated() {
      #expect(bodies(try reopened.load(entity: e, since: nil)) == ["r\(i)"], "\(e.prefix(40))")
    }
    // Everything stayed inside the store: objects/ holds one name per entity, none with a path separator.
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/objects")
    #expect(names.count == hostileEntities.count)
    #expect(names.allSatisfy { !$0.contains("/") && !$0.hasPrefix(".") && $0.utf8.count <= 201 })
    #expect(
      Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == [
        "FORMAT", "LOCK", "objects",
      ])
  }

  @Test func entityNames() {
    #expect(EntityName.encode("../../etc/passwd") == "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd")
    #expect(EntityName.encode("a\u{0}b") == "a%00b")
    #expect(EntityName.encode("é") == "%C3%A9")
    #expect(EntityName.encode("%2F") != EntityName.encode("/"))
    let long = EntityName.encode(String(repeating: "x", count: 10_000))
    #expect(long.hasPrefix("~") && long.count == 65)
  }

  @Test func emptyEntityIsRefused() throws {
    let dir = TempDir()
    let s = try FileStore(directory: dir.path, layout: .objectPerEntity)
    #expect(throws: StoreError.self) { try s.append(entity: "", body: text("x"), at: 1) }
  }

  @Test(arguments: FileStore.Layout.allCases)
  func corruptObjectsAreErrorsNotTraps(layout: FileStore.Layout) throws {
    let dir = TempDir()
    let s = try FileStore(directory: dir.path, layout: layout)
    try s.append(entity: "a", body: text("hello world"), at: 1)
    let objects = dir.path + "/objects/a"
    let path =
      layout == .objectPerEntity
      ? objects : objects + "/" + (try FileManager.default.contentsOfDirectory(atPath: objects))[0]
    let good = try Data(contentsOf: URL(fileURLWithPath: path))
    // Every truncation and a flipped bit anywhere: each load is a .badData error naming the file.
    var damaged: [Data] = (0..<good.count).map { good.prefix($0) }
    for i in stride(from: 0, to: good.count, by: 3) {
      var d = good
      d[i] ^= 0x10
      damaged.append(d)
    }
    for d in damaged {
      try d.write(to: URL(fileURLWithPath: path))
      let fresh = try FileStore(directory: dir.path, layout: layout)
      do {
        _ = try fresh.load(entity: "a", since: nil)
        Issue.record("damaged object of \(d.count) bytes was accepted")
      } catch {
        #expect(error.code == .badData && error.message.contains(path))
      }
    }
  }

  @Test func refusesAFolderThatIsNotAStoreOrHasAnotherLayout() throws {
    let dir = TempDir()
    try "hello".write(toFile: dir.path + "/notes.txt", atomically: true, encoding: .utf8)
    #expect { try FileStore(directory: dir.path, layout: .objectPerEntity) } throws: {
      ($0 as? StoreError)?.code == .badData
    }
    let other = TempDir()
    _ = try FileStore(directory: other.path, layout: .objectPerRecord)
    // Another layout is a wrong URL (64), and the message says which layout the folder holds.
    #expect { try FileStore(directory: other.path, layout: .objectPerEntity) } throws: {
      ($0 as? StoreError)?.code == .badURL
        && ($0 as? StoreError)?.message.contains("layout=object-per-record") == true
    }
    try "costplan file store 9\n".write(
      toFile: other.path + "/FORMAT", atomically: true, encoding: .utf8)
    #expect { try FileStore(directory: other.path, layout: .objectPerRecord) } throws: {
      ($0 as? StoreError)?.code == .badData
    }
  }

  @Test func unwritableLocationIsACannotWriteError() {
    #expect { try FileStore(directory: "/etc/passwd/store", layout: .objectPerEntity) } throws: {
      ($0 as? StoreError)?.code == .cannotWrite
    }
    #expect { try FileStore(directory: "/proc/costplan-store", layout: .objectPerEntity) } throws: {
      ($0 as? StoreError)?.code == .cannotWrite
    }
  }

  @Test func leftoverTempFilesOfDeadWritersAreRemoved() throws {
    let dir = TempDir()
    _ = try FileStore(directory: dir.path, layout: .objectPerEntity)
    // pid 2147483646 does not exist: its half-written temp file is garbage.
    let orphan = dir.path + "/objects/.tmp-2147483646-1"
    try "half".write(toFile: orphan, atomically: false, encoding: .utf8)
    let s = try FileStore(directory: dir.path, layout: .objectPerEntity)
    #expect(!FileManager.default.fileExists(atPath: orphan))
    #expect(try s.storedRecords() == 0)
  }
}

/// The temporary FORMAT file (`.tmp-format-<pid>`) of a writer that died while creating a store was never swept:
/// only names with the pid right after `.tmp-` were. Live writers' temporary files must stay.
struct TempSweepTests {
  @Test(arguments: FileStore.Layout.allCases)
  func deadWritersTempFilesGoLiveWritersStay(layout: FileStore.Layout) throws {
    let dir = TempDir()
    let first = try FileStore(directory: dir.path, layout: layout)
    try first.append(entity: "a", body: text("x"), at: 1)
    let entityDir = dir.path + "/objects/" + EntityName.encode("a")
    let dead = String(format: "%010d", 2_147_483_646)  // no such process
    // the process that started the tests: alive, not us
    let live = String(format: "%010d", Int(getppid()))
    var orphans = [dir.path + "/.tmp-format-\(dead)", dir.path + "/objects/.tmp-\(dead)-1"]
    var kept = [dir.path + "/.tmp-format-\(live)", dir.path + "/objects/.tmp-\(live)-7"]
    if layout == .objectPerRecord {
      orphans.append(entityDir + "/.tmp-\(dead)-2")
      kept.append(entityDir + "/.tmp-\(live)-3")
    }
    for p in orphans + kept { try "half".write(toFile: p, atomically: false, encoding: .utf8) }
    let reopened = try FileStore(directory: dir.path, layout: layout)
    for p in orphans { #expect(!FileManager.default.fileExists(atPath: p), "\(p)") }
    for p in kept { #expect(FileManager.default.fileExists(atPath: p), "\(p)") }
    #expect(bodies(try reopened.load(entity: "a", since: nil)) == ["x"])
  }

  @Test func writerPidsInTempNames() {
    #expect(FileStore.writerPid(ofTemp: ".tmp-0000001234-7") == 1234)
    #expect(FileStore.writerPid(ofTemp: ".tmp-format-0000001234") == 1234)
    for other in [
      ".tmp-", ".tmp-format-", ".tmp-12x", ".tmp-format-12-3x4", ".hidden-123", "0000001234-1",
      ".tmp-99999999999-1",
    ] {
      #expect(FileStore.writerPid(ofTemp: other) == nil, "\(other)")
    }
  }
}

/// A stored record numbered Int.max (a valid CRC: the object is well formed) made the next append trap.
struct SequenceOverflowTests {
  @Test func appendAfterTheLargestRecordNumberIsBadData() throws {
    let dir = TempDir()
    let s = try FileStore(directory: dir.path, layout: .objectPerEntity)
    try s.append(entity: "a", body: Array("x".utf8), at: 1)
    let object = dir.path + "/objects/" + EntityName.encode("a")
    #expect(FileManager.default.fileExists(atPath: object))
    let forged = ObjectCodec.encode(
      entity: "a", records: [StoredRecord(seq: Int.max, at: 1, body: Array("x".utf8))])
    try Data(forged).write(to: URL(fileURLWithPath: object))
    let other = try FileStore(directory: dir.path, layout: .objectPerEntity)
    #expect(try other.load(entity: "a", since: nil).map(\.seq) == [Int.max])
    #expect { try other.append(entity: "a", body: Array("y".utf8), at: 2) } throws: { e in
      guard let e = e as? StoreError else { return false }
      return e.code == .badData && e.message.contains("no record can follow it")
    }
    #expect(try nextSeq(after: nil) == 1 && nextSeq(after: 41) == 42)
  }
}

/// Stored records are private: objects 0600 and folders 0700 (they were world-readable).
struct FileStorePermissionTests {
  @Test func objectsAndFoldersAreOwnerOnly() throws {
    let dir = TempDir()
    let s = try FileStore(directory: dir.path + "/store", layout: .objectPerEntity)
    try s.append(entity: "a", body: Array("secret".utf8), at: 1)
    func mode(_ p: String) throws -> Int {
      (try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? NSNumber)?
        .intValue ?? -1
    }
    #expect(try mode(dir.path + "/store/objects/" + EntityName.encode("a")) & 0o077 == 0)
    #expect(try mode(dir.path + "/store/objects") & 0o077 == 0)
  }
}

/// A store whose files the process may not write (a read-only mount, a colleague's directory, a backup) can still be
/// loaded: it opened LOCK for writing to load, and failed.
@Suite(
  .serialized,
  .enabled(
    if: ReadOnlyTree.possible,
    "cannot make a directory read-only here (as root, chattr +i is needed)"))
struct ReadOnlyFileStoreTests {
  @Test(arguments: FileStore.Layout.allCases)
  func aReadOnlyStoreLoadsAndRefusesWritesNamingThePath(layout: FileStore.Layout) throws {
    let dir = TempDir()
    let path = dir.path + "/store"
    let writer = try FileStore(directory: path, layout: layout)
    try writer.append(entity: "a", body: text("one"), at: 1)
    try writer.append(entity: "a", body: text("two"), at: 2)
    let frozen = try ReadOnlyTree(path)
    defer { frozen.thaw() }

    let reader = try FileStore(directory: path, layout: layout)
    #expect(bodies(try reader.load(entity: "a", since: nil)) == ["one", "two"])
    #expect(try reader.load(entity: "missing", since: nil).isEmpty)
    #expect(try reader.storedRecords() == 2)
    for write in [
      { _ = try reader.append(entity: "a", body: text("three"), at: 3) },
      { _ = try reader.expire(before: 10) },
    ] {
      #expect { try write() } throws: { e in
        guard let e = e as? StoreError else { return false }
        return e.code == .readOnly && e.message.contains(path + "/LOCK")
          && e.message.contains(frozen.reason)
      }
    }
    #expect(bodies(try reader.load(entity: "a", since: nil)) == ["one", "two"])
  }
}

/// Makes a directory tree unwritable even for root: `chattr +i` (immutable) as root, which permission bits do not
/// stop, else `chmod a-w`. `reason` is the error text the system then gives a write.
struct ReadOnlyTree {
  let path: String
  let asRoot: Bool
  var reason: String {
    asRoot ? String(cString: strerror(EPERM)) : String(cString: strerror(EACCES))
  }

  static let chattr = TestServers.which("chattr", extra: ["/usr/bin", "/bin"])

  /// Whether this process can freeze a file in the temporary directory (root without chattr or on a file system
  /// without the immutable flag cannot).
  static let possible: Bool = {
    guard getuid() == 0 else { return true }
    let probe = TempDir()
    guard FileManager.default.createFile(atPath: probe.path + "/f", contents: nil),
      let frozen = try? ReadOnlyTree(probe.path)
    else { return false }
    defer { frozen.thaw() }
    return open(probe.path + "/f", O_RDWR) < 0 && errno == EPERM
  }()

  init(_ path: String) throws {
    self.path = path
    asRoot = getuid() == 0
    let status: Int32
    if asRoot {
      guard let chattr = Self.chattr else { throw ServerMissing(what: "chattr is not installed") }
      status = Spawn.wait([chattr, "-R", "+i", path])
    } else {
      status = Spawn.wait(["/bin/chmod", "-R", "a-w", path])
    }
    guard status == 0 else {
      throw ServerMissing(what: "cannot make \(path) read-only (\(status))")
    }
  }

  func thaw() {
    if asRoot, let chattr = Self.chattr {
      _ = Spawn.wait([chattr, "-R", "-i", path])
    } else {
      _ = Spawn.wait(["/bin/chmod", "-R", "u+w", path])
    }
  }
}
