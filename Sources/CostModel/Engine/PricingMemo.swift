import Foundation

/// What one option's pricer looked up at its last pricing, kept for the next one: sampling prices each option at
/// every scale of every draw (docs/model.md §10), and the rates and tables it needs are the same each time.
/// One memo per option and thread (it is not locked); `PricingContext` carries it, the pricers never need it.
final class PricingMemo {
  /// The rate of the k-th `LineBuilder.add` of the last pricing, with the service and id it was looked up by.
  private var slots: [(service: String, id: String, rate: Rate?)] = []
  /// A service's own tables, built from the rate book once (ElastiCache: its node candidates), with the index
  /// they were built from.
  private var stash: (index: ObjectIdentifier, value: AnyObject)?

  init() {}

  /// `service/id` in `index`: the k-th lookup of the last pricing when it asked for the same rate.
  func rate(at k: Int, _ service: String, _ id: String, in index: RateIndex) -> Rate? {
    if k < slots.count {
      let s = slots[k]
      if s.id == id && s.service == service { return s.rate }
      let rate = index.rate(service, id)
      slots[k] = (service, id, rate)
      return rate
    }
    let rate = index.rate(service, id)
    if k == slots.count { slots.append((service, id, rate)) }
    return rate
  }

  /// The stashed `T` built from `index`, when there is one and `valid` accepts it; else `make()`, kept.
  func stashed<T: AnyObject>(
    _ type: T.Type, index: RateIndex, valid: (T) -> Bool, make: () -> T
  ) -> T {
    let id = ObjectIdentifier(index)
    if let s = stash, s.index == id, let v = s.value as? T, valid(v) { return v }
    let v = make()
    stash = (id, v)
    return v
  }
}
