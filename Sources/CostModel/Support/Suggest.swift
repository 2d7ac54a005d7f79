import Foundation

/// "Did you mean …?" for a mistyped name: the closest candidate within a small edit distance.
public enum Suggest {
  /// The candidate nearest to `typed` (Damerau–Levenshtein: a swap of two neighbours counts once) when it is within
  /// 2 edits, or 1 for names of up to 4 characters; nil when none is that close or two tie.
  public static func closest(_ typed: String, among candidates: [String]) -> String? {
    let t = Array(typed.lowercased().unicodeScalars.prefix(200))
    guard !t.isEmpty else { return nil }
    let limit = t.count <= 4 ? 1 : 2
    var best: (name: String, distance: Int)?
    var tie = false
    for c in candidates where c != typed {
      let d = distance(t, Array(c.lowercased().unicodeScalars.prefix(200)))
      guard d <= limit else { continue }
      if let b = best {
        if d < b.distance {
          best = (c, d)
          tie = false
        } else if d == b.distance {
          tie = true
        }
      } else {
        best = (c, d)
      }
    }
    return tie ? nil : best?.name
  }

  /// " (did you mean 'x'?)" or "".
  public static func hint(_ typed: String, among candidates: [String], quote: String = "'")
    -> String
  {
    closest(typed, among: candidates).map { " (did you mean \(quote)\($0)\(quote)?)" } ?? ""
  }

  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
          d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        }
      }
    }
    return d[a.count][b.count]
  }
}
