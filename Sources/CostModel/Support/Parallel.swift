import Foundation

/// `transform` over `items` on every core, results in the items' order.
/// (A pool of persistent threads was tried in place of GCD: the same times, measured A/B in one run.)
public func parallelMap<C: Collection, T: Sendable>(
  _ items: C, _ transform: @Sendable (C.Element) -> T
) -> [T] where C.Index == Int, C.Element: Sendable, C: Sendable {
  let n = items.count
  if n < 2 { return items.map(transform) }
  let box = ResultBox<T>(count: n)
  let start = items.startIndex
  DispatchQueue.concurrentPerform(iterations: n) { i in box.set(i, transform(items[start + i])) }
  return box.values()
}

/// Slots written once each from concurrent iterations.
final class ResultBox<T>: @unchecked Sendable {
  private var slots: [T?]
  private let lock = NSLock()
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ v: T) {
    lock.lock()
    slots[i] = v
    lock.unlock()
  }
  func values() -> [T] { slots.map { $0! } }
}
