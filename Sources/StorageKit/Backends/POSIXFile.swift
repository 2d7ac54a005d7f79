import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few POSIX file operations the file backend needs, with errors that name the path and errno's reason.
enum POSIXFile {
  static func reason(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

  static func writeError(_ path: String, _ code: Int32 = errno) -> StoreError {
    StoreError(
      .cannotWrite, "\(path): cannot write: \(reason(code))", underlying: StoreError.posix(code))
  }

  static func readError(_ path: String, _ what: String, _ code: Int32 = errno) -> StoreError {
    StoreError(
      .cannotRead, "\(path): \(what): \(reason(code))", underlying: StoreError.posix(code))
  }

  /// Writes `bytes` to `dir/name` so that a reader sees either the old file or the whole new one, and the new
  /// one survives a crash once this returns: temp file, write, fsync, rename, fsync of the directory.
  /// `mtimeMillis` sets the file's modification time (the object's Last-Modified).
  static func writeAtomically(
    dir: String, name: String, bytes: [UInt8], mtimeMillis: Int64?, tempTag: String
  ) throws(StoreError) {
    let path = dir + "/" + name
    let temp = dir + "/.tmp-\(tempTag)"
    // records are private data: owner only
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw writeError(temp) }
    var failure: Int32 = 0
    bytes.withUnsafeBufferPointer { buf in
      var off = 0
      while off < buf.count {
        let n = write(fd, buf.baseAddress! + off, buf.count - off)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        off += n
      }
    }
    if failure == 0, let ms = mtimeMillis {
      var times = [
        timespec(tv_sec: Int(ms / 1000), tv_nsec: Int(ms % 1000) * 1_000_000),
        timespec(tv_sec: Int(ms / 1000), tv_nsec: Int(ms % 1000) * 1_000_000),
      ]
      if futimens(fd, &times) != 0 { failure = errno }
    }
    if failure == 0 && fsync(fd) != 0 { failure = errno }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure == 0 && rename(temp, path) != 0 { failure = errno }
    if failure != 0 {
      unlink(temp)
      throw writeError(path, failure)
    }
    try syncDirectory(dir)
  }

  static func syncDirectory(_ dir: String) throws(StoreError) {
    let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw writeError(dir) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw writeError(dir) }
  }

  /// The whole file, or nil when it does not exist.
  static func read(_ path: String, limit: Int) throws(StoreError) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw readError(path, "cannot read")
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      throw readError(path, "cannot read")
    }
    let size = Int(st.st_size)
    guard size <= limit else {
      throw StoreError(
        .badData, "\(path): corrupt object: \(size) bytes, over the \(limit)-byte limit")
    }
    var out = [UInt8](repeating: 0, count: size)
    var off = 0
    var failure: Int32 = 0
    out.withUnsafeMutableBufferPointer { buf in
      while off < size {
        let n = Glibc.read(fd, buf.baseAddress! + off, size - off)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        if n == 0 { return }
        off += n
      }
    }
    if failure != 0 { throw readError(path, "cannot read", failure) }
    return Array(out[0..<off])
  }

  struct Identity: Equatable {
    var inode: UInt64
    var size: Int64
    var mtimeNanos: Int64
  }

  /// The file's identity (inode, size, modification time), or nil when it does not exist.
  static func identity(_ path: String) throws(StoreError) -> Identity? {
    var st = stat()
    guard stat(path, &st) == 0 else {
      if errno == ENOENT { return nil }
      throw readError(path, "cannot stat")
    }
    return Identity(
      inode: UInt64(st.st_ino), size: Int64(st.st_size),
      mtimeNanos: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
  }

  /// Names in a directory, without `.` and `..`; nil when the directory does not exist.
  static func list(_ dir: String) throws(StoreError) -> [String]? {
    guard let d = opendir(dir) else {
      if errno == ENOENT { return nil }
      throw readError(dir, "cannot list")
    }
    defer { closedir(d) }
    var out: [String] = []
    while let e = readdir(d) {
      let name = withUnsafePointer(to: e.pointee.d_name) { p in
        p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { out.append(name) }
    }
    return out
  }

  /// `mkdir`, succeeding when it already exists; the parent is synced so the new entry is durable.
  static func makeDirectory(_ path: String, parent: String) throws(StoreError) {
    if mkdir(path, 0o700) == 0 {
      try syncDirectory(parent)
    } else if errno != EEXIST {
      throw writeError(path)
    }
  }

  /// What opening the lock file for writing gave: its descriptor, or why the store is read-only.
  enum LockFile {
    case writable(Int32)
    /// errno's reason: permissions, a read-only file system, an immutable file.
    case readOnly(String)
  }

  /// Opens (creating) the store's lock file for writing. Refused for lack of permission or a read-only file
  /// system, that is not an error here: readers take no lock (objects are replaced by rename), so a read-only
  /// store can still be loaded, and only a write reports the reason.
  static func lockFile(_ path: String) throws(StoreError) -> LockFile {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    if fd >= 0 { return .writable(fd) }
    let code = errno
    if code == EACCES || code == EPERM || code == EROFS { return .readOnly(reason(code)) }
    throw writeError(path, code)
  }

  /// Takes the exclusive advisory lock on an open lock file (released by `unlock`).
  static func lock(_ fd: Int32, path: String) throws(StoreError) {
    while flock(fd, LOCK_EX) != 0 {
      if errno == EINTR { continue }
      throw writeError(path)
    }
  }

  static func unlock(_ fd: Int32) { flock(fd, LOCK_UN) }
}
