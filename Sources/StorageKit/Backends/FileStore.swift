import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `file:DIR?layout=object-per-entity|object-per-record` — S3 semantics on a local directory, counted the way
/// S3 bills them (docs/model.md §3.1).
///
/// - object-per-entity: `DIR/objects/<entity>` holds all of an entity's records; every append rewrites it
///   (1 PUT). The store remembers which version of each object it last wrote or read; when the object on disk
///   is still that version (the conditional write S3 offers with If-Match) it needs no read first, otherwise it
///   reads it (1 GET) before rewriting. A load is 1 GET.
/// - object-per-record: `DIR/objects/<entity>/<at>-<writer>` per record (1 PUT); a load is 1 LIST (per 1,000
///   keys) and 1 GET per record returned. Records are numbered in key order when loaded.
///
/// Every object is written to a temporary file, fsynced and renamed (then the directory fsynced), so an
/// acknowledged append survives `kill -9` and a reader never sees half an object. An object's modification time
/// is its newest record's time: expiry (S3 lifecycle: free) removes objects older than the cut-off.
public final class FileStore: RecordStore {
  public enum Layout: String, CaseIterable, Sendable {
    case objectPerEntity = "object-per-entity"
    case objectPerRecord = "object-per-record"
  }

  public let displayURL: String
  public let root: String
  public let layout: Layout
  public private(set) var counters = StoreCounters()
  private let objects: String
  /// The lock file open for writing; nil when the store is read-only (`readOnlyReason` says why).
  private let lockFD: Int32?
  private let readOnlyReason: String?
  private let writerTag: String
  private var writes = 0
  /// Entity objects this store last wrote or read, by the identity of the file it left (object-per-entity).
  private var known: [String: (identity: POSIXFile.Identity, records: [StoredRecord])] = [:]
  private var knownBytes = 0
  static let knownLimitBytes = 64 << 20
  static let objectLimit = 1 << 31
  static let maxBody = 64 << 20

  public convenience init(url: BackendURL) throws(StoreError) {
    try url.allow(["layout"])
    guard !url.rest.isEmpty else {
      throw StoreError(
        .badURL, "backend URL '\(url.text)': file: needs a directory, like file:bench-store")
    }
    let layout = Layout(
      rawValue: try url.choice(
        "layout", Layout.allCases.map(\.rawValue), default: Layout.objectPerEntity.rawValue))!
    try self.init(directory: url.rest, layout: layout)
  }

  public init(directory: String, layout: Layout) throws(StoreError) {
    root =
      directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    self.layout = layout
    displayURL = "file:\(root)?layout=\(layout.rawValue)"
    objects = root + "/objects"
    writerTag = String(format: "%010d", Int(getpid()))
    let format = "costplan file store 1\nlayout \(layout.rawValue)\n"
    // Create the directory (and parents) if absent; refuse a directory that holds something else.
    // mkdir -p, one level at a time, so a failure names the level and errno's reason.
    var made = root.hasPrefix("/") ? "" : "."
    for part in root.split(separator: "/") {
      made += "/" + part
      if mkdir(made, 0o700) != 0 && errno != EEXIST {
        throw StoreError(
          .cannotWrite, "\(root): cannot create the store directory: \(made): \(POSIXFile.reason())"
        )
      }
    }
    let formatPath = root + "/FORMAT"
    if let existing = try POSIXFile.read(formatPath, limit: 4096) {
      guard existing == Array(format.utf8) else {
        let text = String(decoding: existing, as: UTF8.self)
        if let other = Layout.allCases.first(where: {
          text == "costplan file store 1\nlayout \($0.rawValue)\n"
        }) {
          throw StoreError(
            .badURL,
            "\(root) holds a store with layout \(other.rawValue), not \(layout.rawValue): add ?layout=\(other.rawValue) or use another directory"
          )
        }
        throw StoreError(
          .badData, "\(formatPath): not a costplan file store format this version reads")
      }
    } else {
      guard let names = try POSIXFile.list(root) else {
        throw StoreError(.cannotWrite, "\(root): cannot list")
      }
      guard names.filter({ $0 != "LOCK" && !$0.hasPrefix(".tmp-") }).isEmpty else {
        throw StoreError(
          .badData, "\(root): not a costplan file store (no FORMAT file, and not empty)")
      }
      try POSIXFile.writeAtomically(
        dir: root, name: "FORMAT", bytes: Array(format.utf8), mtimeMillis: nil,
        tempTag: "format-\(writerTag)")
    }
    try POSIXFile.makeDirectory(objects, parent: root)
    switch try POSIXFile.lockFile(root + "/LOCK") {
    case .writable(let fd):
      lockFD = fd
      readOnlyReason = nil
      try removeOrphanTemps()
    case .readOnly(let why):
      lockFD = nil
      readOnlyReason = why
    }
  }

  deinit { if let lockFD { close(lockFD) } }

  /// Runs a write under the store's exclusive lock; on a read-only store, a `.readOnly` error
  /// naming the lock file and the system's reason.
  private func withLock<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
    guard let lockFD else {
      throw StoreError(
        .readOnly,
        "\(root)/LOCK: cannot open for writing: \(readOnlyReason ?? "refused") (the store can be loaded, not written)"
      )
    }
    try POSIXFile.lock(lockFD, path: root + "/LOCK")
    defer { POSIXFile.unlock(lockFD) }
    return try body()
  }

  private func nextTempTag() -> String {
    writes += 1
    return "\(writerTag)-\(writes)"
  }

  /// The pid of the process that wrote a temporary file: `.tmp-<pid>-<n>` (objects) or `.tmp-format-<pid>`
  /// (the FORMAT file of a store being created); nil for any other name, which is then left alone.
  static func writerPid(ofTemp name: String) -> Int32? {
    func number(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
    guard name.hasPrefix(".tmp-") else { return nil }
    let rest = name.dropFirst(5)
    if rest.hasPrefix("format-") {
      let pid = rest.dropFirst(7)
      return number(pid) ? Int32(pid) : nil
    }
    let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
    return parts.count == 2 && number(parts[0]) && number(parts[1]) ? Int32(parts[0]) : nil
  }

  /// Temporary files left by a process that died mid-write are never objects; remove them (under the write
  /// lock, when the store is opened for writing). A writer is dead when its pid names no process: a live one's
  /// file may be renamed into place at any moment, so it stays, as does one of a pid reused since (removed by
  /// a later open).
  private func removeOrphanTemps() throws(StoreError) {
    try withLock { () throws(StoreError) in
      func sweep(_ dir: String) throws(StoreError) {
        for name in try POSIXFile.list(dir) ?? [] {
          if let pid = Self.writerPid(ofTemp: name), pid > 0, pid != getpid(),
            kill(pid, 0) != 0 && errno == ESRCH
          {
            unlink(dir + "/" + name)
          }
        }
      }
      try sweep(root)
      try sweep(objects)
      if layout == .objectPerRecord {
        for name in try POSIXFile.list(objects) ?? [] where !name.hasPrefix(".") {
          try sweep(objects + "/" + name)
        }
      }
    }
  }

  // MARK: append

  @discardableResult
  public func append(entity: String, body: [UInt8], at: Int64) throws(StoreError) -> Int? {
    try EntityId.check(entity)
    guard body.count <= Self.maxBody else {
      throw StoreError(
        .recordRefused, "record of \(body.count) bytes is over the \(Self.maxBody)-byte limit")
    }
    guard at >= 0 else { throw StoreError(.recordRefused, "record time \(at) is before 1970") }
    return try withLock { () throws(StoreError) -> Int? in
      switch layout {
      case .objectPerEntity: return try appendToEntityObject(entity, body: body, at: at)
      case .objectPerRecord:
        try putRecordObject(entity, body: body, at: at)
        return nil
      }
    }
  }

  private func appendToEntityObject(_ entity: String, body: [UInt8], at: Int64) throws(StoreError)
    -> Int
  {
    let name = EntityName.encode(entity)
    let path = objects + "/" + name
    var records: [StoredRecord]
    let onDisk = try POSIXFile.identity(path)
    if onDisk == nil {
      records = []  // a new object: PUT with If-None-Match, no read needed
    } else if let k = known[entity], k.identity == onDisk {
      // the version this store wrote or read: PUT with If-Match, no read needed
      records = k.records
    } else {
      records = try getEntityObject(entity, path: path) ?? []
      counters.count("GET before PUT")  // also counted as a GET: S3 bills it as one
    }
    let seq = try nextSeq(after: records.last?.seq)
    records.append(StoredRecord(seq: seq, at: at, body: body))
    let bytes = ObjectCodec.encode(entity: entity, records: records)
    guard bytes.count <= Self.objectLimit else {
      throw StoreError(
        .recordRefused,
        "object for this entity would be \(bytes.count) bytes, over the file backend's limit")
    }
    try POSIXFile.writeAtomically(
      dir: objects, name: name, bytes: bytes, mtimeMillis: records.map(\.at).max(),
      tempTag: nextTempTag())
    counters.count("PUT")
    counters.bytesSent += bytes.count
    if let id = try POSIXFile.identity(path) { remember(entity, id, records) }
    return seq
  }

  private func remember(_ entity: String, _ id: POSIXFile.Identity, _ records: [StoredRecord]) {
    let size = Int(id.size)
    if let old = known[entity] { knownBytes -= Int(old.identity.size) }
    if knownBytes + size > Self.knownLimitBytes {
      known.removeAll(keepingCapacity: true)
      knownBytes = 0
    }
    known[entity] = (id, records)
    knownBytes += size
  }

  /// 1 GET of an entity object; nil when there is none (S3 still bills the 404).
  private func getEntityObject(_ entity: String, path: String) throws(StoreError) -> [StoredRecord]?
  {
    counters.count("GET")
    let before = try POSIXFile.identity(path)
    guard let bytes = try POSIXFile.read(path, limit: Self.objectLimit) else { return nil }
    counters.bytesReceived += bytes.count
    let d = try ObjectCodec.decode(bytes, what: path)
    guard d.entity == entity else {
      throw StoreError(
        .badData,
        "\(path): holds entity '\(d.entity.prefix(80))', not the one asked for (name collision or a moved file)"
      )
    }
    if let id = before, Int(id.size) == bytes.count { remember(entity, id, d.records) }
    return d.records
  }

  private func putRecordObject(_ entity: String, body: [UInt8], at: Int64) throws(StoreError) {
    let dir = objects + "/" + EntityName.encode(entity)
    try POSIXFile.makeDirectory(dir, parent: objects)
    writes += 1
    let key = String(format: "%016lld-%@-%010d", at, writerTag, writes)
    let bytes = ObjectCodec.encode(
      entity: entity, records: [StoredRecord(seq: 0, at: at, body: body)])
    try POSIXFile.writeAtomically(
      dir: dir, name: key, bytes: bytes, mtimeMillis: at, tempTag: nextTempTag())
    counters.count("PUT")
    counters.bytesSent += bytes.count
  }

  // MARK: load

  public func load(entity: String, since: Int64?) throws(StoreError) -> [StoredRecord] {
    try EntityId.check(entity)
    switch layout {
    case .objectPerEntity:
      let path = objects + "/" + EntityName.encode(entity)
      let all = try getEntityObject(entity, path: path) ?? []
      return since.map { s in all.filter { $0.at >= s } } ?? all
    case .objectPerRecord:
      let dir = objects + "/" + EntityName.encode(entity)
      let keys = (try POSIXFile.list(dir) ?? []).filter { !$0.hasPrefix(".") }.sorted()
      counters.count("LIST", max(1, (keys.count + 999) / 1000))
      var out: [StoredRecord] = []
      for (i, key) in keys.enumerated() {
        guard let at = Int64(key.prefix(16)) else {
          throw StoreError(.badData, "\(dir)/\(key): not a record key")
        }
        if let s = since, at < s { continue }
        counters.count("GET")
        // A record expired between LIST and GET is gone: skip it, as S3 would answer 404.
        guard let bytes = try POSIXFile.read(dir + "/" + key, limit: Self.objectLimit) else {
          continue
        }
        counters.bytesReceived += bytes.count
        let d = try ObjectCodec.decode(bytes, what: dir + "/" + key)
        guard d.entity == entity, d.records.count == 1, d.records[0].at == at else {
          throw StoreError(.badData, "\(dir)/\(key): does not hold this entity's record")
        }
        out.append(StoredRecord(seq: i + 1, at: at, body: d.records[0].body))
      }
      return out
    }
  }

  // MARK: expiry (S3 lifecycle: no request is billed)

  @discardableResult
  public func expire(before: Int64) throws(StoreError) -> Int {
    try withLock { () throws(StoreError) -> Int in
      var removed = 0
      for name in try POSIXFile.list(objects) ?? [] where !name.hasPrefix(".") {
        let path = objects + "/" + name
        switch layout {
        case .objectPerEntity:
          guard let id = try POSIXFile.identity(path), id.mtimeNanos / 1_000_000 < before else {
            continue
          }
          let bytes = try POSIXFile.read(path, limit: Self.objectLimit) ?? []
          let d = try ObjectCodec.decode(bytes, what: path)
          guard (d.records.map(\.at).max() ?? Int64.min) < before else { continue }
          guard unlink(path) == 0 else { throw POSIXFile.writeError(path) }
          removed += d.records.count
        case .objectPerRecord:
          for key in try POSIXFile.list(path) ?? [] where !key.hasPrefix(".") {
            guard let at = Int64(key.prefix(16)) else {
              throw StoreError(.badData, "\(path)/\(key): not a record key")
            }
            guard at < before else { continue }
            guard unlink(path + "/" + key) == 0 else {
              throw POSIXFile.writeError(path + "/" + key)
            }
            removed += 1
          }
          rmdir(path)  // fails harmlessly while records remain
        }
      }
      if removed > 0 {
        try POSIXFile.syncDirectory(objects)
        counters.count("expire", removed)
      }
      return removed
    }
  }

  // MARK: what is stored

  public func storedBytes() throws(StoreError) -> Int? { try scan().bytes }
  public func storedRecords() throws(StoreError) -> Int? { try scan().records }

  private func scan() throws(StoreError) -> (bytes: Int, records: Int) {
    var bytes = 0
    var records = 0
    for name in try POSIXFile.list(objects) ?? [] where !name.hasPrefix(".") {
      let path = objects + "/" + name
      switch layout {
      case .objectPerEntity:
        guard let b = try POSIXFile.read(path, limit: Self.objectLimit) else { continue }
        bytes += b.count
        records += try ObjectCodec.decode(b, what: path).records.count
      case .objectPerRecord:
        for key in try POSIXFile.list(path) ?? [] where !key.hasPrefix(".") {
          bytes += Int(try POSIXFile.identity(path + "/" + key)?.size ?? 0)
          records += 1
        }
      }
    }
    return (bytes, records)
  }
}
