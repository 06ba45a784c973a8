import CallConsultKit

/// The registered stubs, indexed for the data plane: by command, then by one of the values each
/// stub matches on. Finding a request's stub looks at the stubs that can match it (those of its
/// command matching nothing or one of its values), never at every stub, so that a hundred stubs
/// on other conversations cost a request a few hash lookups.
///
/// Not synchronized: ``StubStore`` holds it under its lock.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct StubIndex {
    /// A registered stub; `order` grows with each registration (newest wins).
    struct Entry {
        var order: Int
        var id: String
        var stub: ECSSEmulator.Stub
        var remaining: Int?
    }

    /// A value a stub matches on: the attribute by XML name, and the value.
    private struct Key: Hashable {
        var name: String
        var value: String
    }

    /// The stubs of one command, by `order` (ascending in every list). A class, so that looking
    /// one up costs a reference, not a copy of its five collections. `@unchecked Sendable`: only
    /// ``StubIndex`` touches it, and only under ``StubStore``'s lock.
    private final class Bucket: @unchecked Sendable {
        /// Every stub of the command.
        var all: [Int] = []
        /// The stubs with an empty `match`.
        var unkeyed: [Int] = []
        /// The other stubs, by the first (by name) of their `match`'s values.
        var keyed: [Key: [Int]] = [:]
        /// The names used as keys, each with the number of stubs keyed by it.
        var keyNames: [String: Int] = [:]
        /// How many of the command's stubs are `reset_before_body` ones.
        var resetsBeforeBody = 0
    }

    private var entries: [Int: Entry] = [:]
    private var orders: [String: Int] = [:]
    private var buckets: [CommandName: Bucket] = [:]

    /// How many stubs are registered.
    var count: Int { entries.count }

    /// How many `reset_before_body` stubs are registered, of every command.
    private(set) var resetsBeforeBody = 0

    /// Every stub, oldest first.
    var all: [Entry] { entries.values.sorted { $0.order < $1.order } }

    /// Registers `stub` as the newest, with `order` greater than any before.
    mutating func insert(_ entry: Entry) {
        entries[entry.order] = entry
        orders[entry.id] = entry.order
        let bucket: Bucket
        if let existing = buckets[entry.stub.command] {
            bucket = existing
        } else {
            bucket = Bucket()
            buckets[entry.stub.command] = bucket
        }
        bucket.all.append(entry.order)
        if let key = Self.key(of: entry.stub) {
            bucket.keyed[key, default: []].append(entry.order)
            bucket.keyNames[key.name, default: 0] += 1
        } else {
            bucket.unkeyed.append(entry.order)
        }
        if entry.stub.fault?.kind == .resetBeforeBody {
            bucket.resetsBeforeBody += 1
            resetsBeforeBody += 1
        }
    }

    /// Removes the stub `id`; `false` when there is none.
    mutating func remove(id: String) -> Bool {
        guard let order = orders[id] else { return false }
        remove(order: order)
        return true
    }

    /// Removes every stub.
    mutating func removeAll() {
        entries.removeAll()
        orders.removeAll()
        buckets.removeAll()
        resetsBeforeBody = 0
    }

    /// The entry registered as `order`.
    subscript(order: Int) -> Entry? {
        get { entries[order] }
        set { entries[order] = newValue }
    }

    /// Removes the stub registered as `order`.
    mutating func remove(order: Int) {
        guard let entry = entries.removeValue(forKey: order) else { return }
        orders[entry.id] = nil
        let command = entry.stub.command
        guard let bucket = buckets[command] else { return }
        Self.drop(order, from: &bucket.all)
        if let key = Self.key(of: entry.stub) {
            Self.drop(order, from: &bucket.keyed[key, default: []])
            if bucket.keyed[key]?.isEmpty == true { bucket.keyed[key] = nil }
            bucket.keyNames[key.name, default: 1] -= 1
            if bucket.keyNames[key.name] == 0 { bucket.keyNames[key.name] = nil }
        } else {
            Self.drop(order, from: &bucket.unkeyed)
        }
        if entry.stub.fault?.kind == .resetBeforeBody {
            bucket.resetsBeforeBody -= 1
            resetsBeforeBody -= 1
        }
        if bucket.all.isEmpty { buckets[command] = nil }
    }

    /// The newest stub of `command` that `isCandidate` accepts, when it is a `reset_before_body`
    /// one (a request's head is all there is to match on); `nil` otherwise. Costs nothing for a
    /// command without `reset_before_body` stubs.
    func newestOnHead(of command: CommandName, where isCandidate: (ECSSEmulator.Stub) -> Bool) -> Int? {
        guard let bucket = buckets[command], bucket.resetsBeforeBody > 0,
            let order = bucket.all.last(where: { entries[$0].map { isCandidate($0.stub) } ?? false }),
            entries[order]?.stub.fault?.kind == .resetBeforeBody
        else { return nil }
        return order
    }

    /// The newest stub matching `request` (its command, every value of its `match`) that
    /// `isCandidate` accepts (domain, scenario state).
    func newest(matching request: ECSSRequest, where isCandidate: (ECSSEmulator.Stub) -> Bool) -> Int? {
        guard let bucket = buckets[request.command] else { return nil }
        func matches(_ order: Int) -> Bool {
            guard let stub = entries[order]?.stub, isCandidate(stub) else { return false }
            return stub.match.allSatisfy { request.has($0.key, $0.value) }
        }
        var newest = bucket.unkeyed.last(where: matches)
        for name in bucket.keyNames.keys {
            _ = request.anyValue(of: name) { value in
                if let orders = bucket.keyed[Key(name: name, value: value)],
                    let order = orders.last(where: { $0 > (newest ?? -1) && matches($0) })
                {
                    newest = order
                }
                return false
            }
        }
        return newest
    }

    /// The key a stub is filed under: the first of its `match`'s values by name; `nil` for an
    /// empty `match`.
    private static func key(of stub: ECSSEmulator.Stub) -> Key? {
        stub.match.min { $0.key < $1.key }.map { Key(name: $0.key, value: $0.value) }
    }

    private static func drop(_ order: Int, from orders: inout [Int]) {
        if let index = orders.lastIndex(of: order) { orders.remove(at: index) }
    }
}
