import Foundation

/// English plurals of the nouns a scenario names its entities and records by ("session", "entity", "batch").
public enum Noun {
  /// "sessions", "entities" (a consonant and y), "batches" (s, x, z, ch, sh), "days"; `word` itself when `count` is 1.
  public static func plural(_ word: String, count: Decimal? = nil) -> String {
    if count == 1 || word.isEmpty { return word }
    let lower = word.lowercased()
    if lower.hasSuffix("y"), lower.count > 1 {
      let before = lower[lower.index(lower.endIndex, offsetBy: -2)]
      if !"aeiou".contains(before) { return String(word.dropLast()) + "ies" }
    }
    for ending in ["s", "x", "z", "ch", "sh"] where lower.hasSuffix(ending) { return word + "es" }
    return word + "s"
  }
}
