import Foundation
import Testing

@testable import StorageKit

/// The aws-sig-v4-test-suite cases in Tests/Fixtures/sigv4 (copied byte for byte; see SOURCES.md there) and the
/// S3 API Reference examples.
struct SigV4Tests {
  static let dir: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<2 { url.deleteLastPathComponent() }
    return url.path + "/Fixtures/sigv4"
  }()

  static let cases = [
    "get-vanilla", "get-vanilla-query-order-key-case", "get-utf8", "get-space",
    "get-header-value-trim",
    "get-relative-relative", "get-slash-dot-slash", "post-vanilla", "post-header-key-sort",
    "post-x-www-form-urlencoded",
  ]

  let suiteSigner = SigV4Signer(
    credentials: AWSCredentials(
      accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    region: "us-east-1", service: "service")

  /// Parses a `.req` file: request line, `Name:value` headers, blank line, body.
  static func parse(_ text: String) -> SigV4Signer.Request {
    let (head, body) =
      text.range(of: "\n\n").map {
        (String(text[..<$0.lowerBound]), String(text[$0.upperBound...]))
      } ?? (text, "")
    let lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let requestLine = lines[0]
    let method = String(requestLine.prefix(while: { $0 != " " }))
    let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
    let path = String(target.prefix(while: { $0 != "?" }))
    var query: [(String, String)] = []
    if let q = target.firstIndex(of: "?") {
      for pair in target[target.index(after: q)...].split(separator: "&") {
        let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        query.append((String(kv[0]), kv.count > 1 ? String(kv[1]) : ""))
      }
    }
    var headers: [(String, String)] = []
    for l in lines.dropFirst() where !l.isEmpty {
      let c = l.firstIndex(of: ":")!
      headers.append((String(l[..<c]), String(l[l.index(after: c)...])))
    }
    return SigV4Signer.Request(
      method: method, path: path, query: query, headers: headers, body: Array(body.utf8))
  }

  func file(_ name: String, _ ext: String) throws -> String {
    try String(contentsOfFile: "\(Self.dir)/\(name)/\(name).\(ext)", encoding: .utf8)
  }

  @Test(arguments: cases)
  func suiteCase(_ name: String) throws {
    let signed = suiteSigner.sign(Self.parse(try file(name, "req")), amzDate: "20150830T123600Z")
    #expect(signed.canonicalRequest == (try file(name, "creq")))
    #expect(signed.stringToSign == (try file(name, "sts")))
    #expect(signed.authorization == (try file(name, "authz")))
  }

  let s3 = SigV4Signer(
    credentials: AWSCredentials(
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    region: "us-east-1", service: "s3")
  let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  @Test func s3GetObject() {
    let r = SigV4Signer.Request(
      method: "GET", path: "/test.txt",
      headers: [
        ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
        ("x-amz-content-sha256", empty), ("x-amz-date", "20130524T000000Z"),
      ])
    let s = s3.sign(r, amzDate: "20130524T000000Z", payloadHash: empty)
    #expect(
      SHA256.hex(Array(s.canonicalRequest.utf8))
        == "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
    #expect(s.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
  }

  @Test func s3PutObjectEncodesTheKeyOnce() {
    let body = Array("Welcome to Amazon S3.".utf8)
    let hash = SHA256.hex(body)
    #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    let r = SigV4Signer.Request(
      method: "PUT", path: "/test$file.text",
      headers: [
        ("Host", "examplebucket.s3.amazonaws.com"),
        ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-date", "20130524T000000Z"),
        ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
        ("x-amz-content-sha256", hash),
      ], body: body)
    let s = s3.sign(r, amzDate: "20130524T000000Z")
    #expect(s.canonicalRequest.split(separator: "\n")[1] == "/test%24file.text")
    #expect(s.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
  }

  @Test func s3GetBucketLifecycleSubresource() {
    let r = SigV4Signer.Request(
      method: "GET", path: "/", query: [("lifecycle", "")],
      headers: [
        ("Host", "examplebucket.s3.amazonaws.com"),
        ("x-amz-date", "20130524T000000Z"), ("x-amz-content-sha256", empty),
      ])
    let s = s3.sign(r, amzDate: "20130524T000000Z", payloadHash: empty)
    #expect(
      SHA256.hex(Array(s.canonicalRequest.utf8))
        == "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca")
    #expect(s.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
  }

  @Test func s3DoesNotNormalizeDotSegments() {
    #expect(s3.canonicalURI("/a/../b//c") == "/a/../b//c")
    #expect(suiteSigner.canonicalURI("/a/../b//c") == "/b/c")
  }

  @Test func signedHeadersAddDateTokenAndPayloadHashAndHideTheSecret() {
    let creds = AWSCredentials(
      accessKeyId: "AKID", secretAccessKey: "very-secret", sessionToken: "SESSION-XYZ")
    let signer = SigV4Signer(credentials: creds, region: "eu-west-1", service: "s3")
    let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
    let headers = signer.signedHeaders(
      .init(method: "GET", path: "/k", headers: [("Host", "b.s3.amazonaws.com")]), date: date)
    let names = headers.map { $0.0.lowercased() }
    #expect(
      names.contains("x-amz-date") && names.contains("x-amz-security-token")
        && names.contains("x-amz-content-sha256"))
    #expect(headers.first { $0.0 == "x-amz-date" }?.1 == "20130524T000000Z")
    let auth = headers.first { $0.0 == "Authorization" }!.1
    #expect(
      auth.contains("Credential=AKID/20130524/eu-west-1/s3/aws4_request")
        && auth.contains("x-amz-security-token"))
    #expect(
      !auth.contains("very-secret") && !"\(creds)".contains("very-secret")
        && !"\(creds)".contains("SESSION-XYZ"))
  }
}
