import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `https://` requests through URLSession (FoundationNetworking: libcurl and OpenSSL on Linux), in a library of its
/// own that `costplan` loads only when a backend URL names an https endpoint: linking FoundationNetworking into the
/// executable cost every command ~8 ms of start-up (51 shared libraries instead of 20).
///
/// C interface, so it can be found with dlsym:
/// request  = [UInt32 big-endian head length][head][body], head = "METHOD\nURL\nTIMEOUT[ LEFT]\nname: value\n…":
///            TIMEOUT bounds each wait (the session's), LEFT, when given, the whole request (what is left of the
///            operation's deadline: URLSession's own timeout restarts with every byte received)
/// response = [UInt32 big-endian head length][head][body], head = "STATUS\nname: value\n…"; on failure the return
///            value is 1 and the buffer holds "CODE\nmessage", CODE the URLError code (0 when there is none). The
///            caller frees the buffer with free().
@_cdecl("costplan_https_send")
public func costplanHTTPSSend(
  _ request: UnsafePointer<UInt8>, _ length: Int,
  _ out: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, _ outLength: UnsafeMutablePointer<Int>
) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: request, count: length))
  let result = HTTPSSession.send(bytes)
  let buffer = malloc(max(1, result.bytes.count))!.assumingMemoryBound(to: UInt8.self)
  result.bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: $0.count) }
  out.pointee = buffer
  outLength.pointee = result.bytes.count
  return result.ok ? 0 : 1
}

enum HTTPSSession {
  nonisolated(unsafe) static var sessions: [Double: URLSession] = [:]
  static let lock = NSLock()

  static func session(timeout: Double) -> URLSession {
    lock.lock()
    defer { lock.unlock() }
    if let s = sessions[timeout] { return s }
    let config = URLSessionConfiguration.ephemeral
    config.timeoutIntervalForRequest = timeout
    config.httpMaximumConnectionsPerHost = 1
    let s = URLSession(configuration: config)
    sessions[timeout] = s
    return s
  }

  static func failure(_ message: String, code: Int = 0) -> (ok: Bool, bytes: [UInt8]) {
    (false, Array("\(code)\n\(message)".utf8))
  }

  static func send(_ bytes: [UInt8]) -> (ok: Bool, bytes: [UInt8]) {
    guard bytes.count >= 4 else { return failure("malformed request") }
    let headLength = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
    guard headLength <= bytes.count - 4 else { return failure("malformed request") }
    let head = String(decoding: bytes[4..<4 + headLength], as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    let body = Data(bytes[(4 + headLength)...])
    let timeouts = head.count >= 3 ? head[2].split(separator: " ").map { Double($0) } : []
    guard let url = URL(string: String(head[1])), let timeout = timeouts.first ?? nil,
      timeouts.count <= 2
    else { return failure("malformed request") }
    let left = timeouts.count == 2 ? timeouts[1] : nil
    if timeouts.count == 2 && left == nil { return failure("malformed request") }
    var req = URLRequest(url: url)
    req.httpMethod = String(head[0])
    for line in head.dropFirst(3) where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":") else { continue }
      req.setValue(
        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces),
        forHTTPHeaderField: String(line[..<colon]))
    }
    if !body.isEmpty || req.httpMethod == "PUT" || req.httpMethod == "POST" { req.httpBody = body }
    final class Box: @unchecked Sendable {
      var data: Data?
      var response: URLResponse?
      var error: Error?
    }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    let task = session(timeout: timeout).dataTask(with: req) { d, r, e in
      box.data = d
      box.response = r
      box.error = e
      done.signal()
    }
    task.resume()
    if let left, done.wait(timeout: .now() + left) == .timedOut {
      task.cancel()
      done.wait()  // the handler runs once, cancelled; box is not read before it has
      return failure("no complete reply within the operation's timeout", code: -1001)
    }
    if left == nil { done.wait() }
    if let e = box.error {
      let ns = e as NSError
      return failure(e.localizedDescription, code: ns.domain == NSURLErrorDomain ? ns.code : 0)
    }
    guard let http = box.response as? HTTPURLResponse else { return failure("no HTTP response") }
    var text = "\(http.statusCode)\n"
    for (k, v) in http.allHeaderFields { text += "\(k): \(v)\n" }
    let h = Array(text.utf8)
    var out: [UInt8] = [
      UInt8(h.count >> 24 & 255), UInt8(h.count >> 16 & 255), UInt8(h.count >> 8 & 255),
      UInt8(h.count & 255),
    ]
    out += h
    out += [UInt8](box.data ?? Data())
    return (true, out)
  }
}
