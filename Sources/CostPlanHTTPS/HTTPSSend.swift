import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `https://` requests through URLSession (FoundationNetworking: libcurl and OpenSSL on Linux), in a library of its
/// own that `costplan` loads only when a backend URL names an https endpoint: linking FoundationNetworking into the
/// executable cost every command ~8 ms of start-up (51 shared libraries instead of 20).
///
/// C interface, so it can be found with dlsym:
/// request  = [UInt32 big-endian head length][head][body],
///            head = "METHOD\nURL\nTIMEOUT[ LEFT[ LIMIT]]\nname: value\n…": TIMEOUT bounds each wait (the
///            session's), LEFT, when given, the whole request (what is left of the operation's deadline: URLSession's
///            own timeout restarts with every byte received; "-" for none when LIMIT follows), LIMIT, when given, the
///            most bytes the response body may hold (what is left of a load's maxLoadBytes): a Content-Length over it
///            is refused before the body is read, and any body is cut off as soon as more than LIMIT bytes have
///            arrived
/// response = [UInt32 big-endian head length][head][body], head = "STATUS\nname: value\n…"; on failure the return
///            value is 1 and the buffer holds "CODE\nmessage", CODE the URLError code (0 when there is none); a body
///            over LIMIT is CODE -1103 (URLError.dataLengthExceedsMaximum) with message "length N" (its
///            Content-Length) or "received N" (the bytes that had arrived when it was cut off). The caller frees the
///            buffer with free().
/// The name carries the interface's version: a library left from an older build (whose head had no LEFT and LIMIT)
/// has only `costplan_https_send`, and the executable says so instead of sending it requests it cannot read.
@_cdecl("costplan_https_send_v2")
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

/// Requests in flight (their transfers still in a session's table), for the tests: 0 once every request has
/// returned, however it ended.
@_cdecl("costplan_https_transfers")
public func costplanHTTPSTransfers() -> Int {
  HTTPSSession.lock.lock()
  let routers = HTTPSSession.sessions.values.map(\.router)
  HTTPSSession.lock.unlock()
  return routers.reduce(0) { $0 + $1.count }
}

/// One request's reply as the session's delegate receives it. Its fields are written on the session's delegate
/// queue (serial) until `done` is signalled, and read by the sender after.
final class Transfer: @unchecked Sendable {
  let limit: Int?
  let checkLength: Bool
  let done = DispatchSemaphore(value: 0)
  var response: URLResponse?
  var data = Data()
  var error: Error?
  /// Set when the body was refused: its Content-Length, or the bytes received when it was cut off.
  var overLimit: (bytes: Int, declared: Bool)?

  init(limit: Int?, checkLength: Bool) {
    self.limit = limit
    self.checkLength = checkLength
  }

  /// False when the response announces a body over the limit.
  func receive(_ r: URLResponse) -> Bool {
    response = r
    if let limit, checkLength, r.expectedContentLength > Int64(limit) {
      overLimit = (Int(r.expectedContentLength), true)
      return false
    }
    return true
  }

  /// False once the body has passed the limit (or was refused before): the task is to be cancelled.
  func receive(_ d: Data) -> Bool {
    guard overLimit == nil else { return false }
    if let limit, data.count + d.count > limit {
      overLimit = (data.count + d.count, false)
      data = Data()
      return false
    }
    data.append(d)
    return true
  }
}

/// The delegate of one session: routes each task's callbacks to its `Transfer` (task identifier → transfer, under
/// a lock); a transfer leaves the table when its task completes, cancelled or not.
final class TransferRouter: NSObject, URLSessionDataDelegate, @unchecked Sendable {
  private let lock = NSLock()
  private var transfers: [Int: Transfer] = [:]

  func add(_ t: Transfer, for task: URLSessionTask) {
    lock.lock()
    transfers[task.taskIdentifier] = t
    lock.unlock()
  }

  var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return transfers.count
  }

  private func transfer(_ task: URLSessionTask, remove: Bool = false) -> Transfer? {
    lock.lock()
    defer { lock.unlock() }
    return remove
      ? transfers.removeValue(forKey: task.taskIdentifier) : transfers[task.taskIdentifier]
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    // swift-corelibs-foundation ignores the disposition (the transfer goes on): the task is cancelled here.
    if transfer(dataTask)?.receive(response) ?? false {
      completionHandler(.allow)
    } else {
      completionHandler(.cancel)
      dataTask.cancel()
    }
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    if !(transfer(dataTask)?.receive(data) ?? false) { dataTask.cancel() }
  }

  func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
    guard let t = transfer(task, remove: true) else { return }
    t.error = error
    t.done.signal()
  }
}

enum HTTPSSession {
  nonisolated(unsafe) static var sessions: [Double: (session: URLSession, router: TransferRouter)] =
    [:]
  static let lock = NSLock()

  /// One session per timeout, kept for the process (its connections are kept alive), with its router.
  static func session(timeout: Double) -> (session: URLSession, router: TransferRouter) {
    lock.lock()
    defer { lock.unlock() }
    if let s = sessions[timeout] { return s }
    let config = URLSessionConfiguration.ephemeral
    config.timeoutIntervalForRequest = timeout
    config.httpMaximumConnectionsPerHost = 1
    config.urlCache = nil  // no copy of a body kept for a cache
    let router = TransferRouter()
    let s = (URLSession(configuration: config, delegate: router, delegateQueue: nil), router)
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
    let numbers = head.count >= 3 ? head[2].split(separator: " ") : []
    guard (1...3).contains(numbers.count), let url = URL(string: String(head[1])),
      let timeout = Double(numbers[0])
    else { return failure("malformed request") }
    var left: Double?
    if numbers.count >= 2 && numbers[1] != "-" {
      guard let l = Double(numbers[1]) else { return failure("malformed request") }
      left = l
    }
    var limit: Int?
    if numbers.count == 3 {
      guard let l = Int(numbers[2]), l >= 0 else { return failure("malformed request") }
      limit = l
    }
    var req = URLRequest(url: url)
    req.httpMethod = String(head[0])
    for line in head.dropFirst(3) where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":") else { continue }
      req.setValue(
        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces),
        forHTTPHeaderField: String(line[..<colon]))
    }
    if !body.isEmpty || req.httpMethod == "PUT" || req.httpMethod == "POST" { req.httpBody = body }
    // A HEAD reply's Content-Length is the object's, not a body's.
    let transfer = Transfer(limit: limit, checkLength: req.httpMethod != "HEAD")
    let (session, router) = session(timeout: timeout)
    let task = session.dataTask(with: req)
    router.add(transfer, for: task)  // before resume: no callback comes earlier
    task.resume()
    if let left, transfer.done.wait(timeout: .now() + left) == .timedOut {
      task.cancel()
      // Completion comes once, cancelled; the transfer is not read before it has.
      transfer.done.wait()
      return failure("no complete reply within the operation's timeout", code: -1001)
    }
    if left == nil { transfer.done.wait() }
    if let over = transfer.overLimit {
      return failure("\(over.declared ? "length" : "received") \(over.bytes)", code: -1103)
    }
    if let e = transfer.error {
      let ns = e as NSError
      var code = ns.domain == NSURLErrorDomain ? ns.code : 0
      // swift-corelibs-foundation reports libcurl's certificate failures ("SSL certificate problem: self-signed
      // certificate", "SSL: no alternative certificate subject name matches target host name") as code -1; they
      // are URLError.serverCertificateUntrusted, which sending again cannot mend.
      if code == -1 && e.localizedDescription.lowercased().contains("certificate") { code = -1202 }
      return failure(e.localizedDescription, code: code)
    }
    guard let http = transfer.response as? HTTPURLResponse else {
      return failure("no HTTP response")
    }
    var text = "\(http.statusCode)\n"
    for (k, v) in http.allHeaderFields { text += "\(k): \(v)\n" }
    let h = Array(text.utf8)
    var out: [UInt8] = [
      UInt8(h.count >> 24 & 255), UInt8(h.count >> 16 & 255), UInt8(h.count >> 8 & 255),
      UInt8(h.count & 255),
    ]
    out += h
    out += [UInt8](transfer.data)
    return (true, out)
  }
}
