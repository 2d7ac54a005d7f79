import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `transform` over `items` on every core, results in the items' order.
///
/// Runs on `WorkerPool.shared`: persistent threads woken through a condition variable. GCD's
/// `concurrentPerform` on Linux let its second thread join a batch only 2–4 ms after it started (measured
/// with per-job time stamps in `report`), which on a 2-core machine made most batches run on one core.
/// A call made from inside a batch (nested) runs its items on the calling thread, in order.
public func parallelMap<C: Collection, T: Sendable>(_ items: C, _ transform: @escaping @Sendable (C.Element) -> T) -> [T]
where C.Index == Int, C.Element: Sendable, C: Sendable {
  let n = items.count
  if n < 2 { return items.map(transform) }
  let box = ResultBox<T>(count: n)
  let start = items.startIndex
  WorkerPool.shared.run(count: n) { i in box.set(i, transform(items[start + i])) }
  return box.values()
}

/// A fixed set of worker threads (one fewer than the active processors) that help the calling thread through
/// one batch of indexed work items at a time.
final class WorkerPool: @unchecked Sendable {
  static let shared = WorkerPool(helpers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

  private let condition = NSCondition()
  private let helpers: Int
  private var started = false
  /// The batch being worked on, if any, and its progress (all under `condition`).
  private var body: (@Sendable (Int) -> Void)?
  private var count = 0
  private var next = 0
  private var running = 0
  private var generation = 0

  init(helpers: Int) { self.helpers = helpers }

  /// Calls `body(i)` for every i in 0..<count, on the calling thread and the helpers; returns when all are done.
  func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    condition.lock()
    if helpers == 0 || self.body != nil {
      // No helpers, or a batch is already running (a nested call): do it here, in order.
      condition.unlock()
      for i in 0..<count { body(i) }
      return
    }
    if !started {
      started = true
      for _ in 0..<helpers {
        let t = Thread { [unowned self] in self.helperLoop() }
        t.stackSize = 8 << 20
        t.start()
      }
    }
    self.body = body
    self.count = count
    next = 0
    running = 1  // the calling thread
    generation += 1
    condition.broadcast()
    condition.unlock()
    work(body)
    condition.lock()
    running -= 1
    while running > 0 { condition.wait() }
    self.body = nil
    condition.unlock()
  }

  /// Takes items of the current batch until none is left.
  private func work(_ body: @Sendable (Int) -> Void) {
    while true {
      condition.lock()
      let i = next
      next += 1
      condition.unlock()
      if i >= count { return }
      body(i)
    }
  }

  private func helperLoop() {
    var seen = 0
    condition.lock()
    while true {
      while generation == seen || body == nil || next >= count {
        if generation != seen && (body == nil || next >= count) { seen = generation }
        condition.wait()
      }
      seen = generation
      // The batch's closure is released before this helper reports itself done: parallelMap lends the pool a
      // closure that must not outlive the call (withoutActuallyEscaping checks that it does not).
      var b = body
      running += 1
      condition.unlock()
      work(b!)
      b = nil
      condition.lock()
      running -= 1
      if running == 0 { condition.broadcast() }
    }
  }
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
