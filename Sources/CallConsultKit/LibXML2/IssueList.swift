/// The issues one layer (policy, syntax or schema) finds while a document is parsed, handed to
/// the error whole when the parse ends.
///
/// An issue is written in place, one stored property at a time, into a slot of the list's own,
/// then moved into the array: built with
/// ``DocumentError/Issue/init(line:column:element:message:domain:code:)`` and appended, it was
/// copied (its two strings retained) and the original destroyed (released again), because the
/// optimizer (Swift 6.3) does not forward a struct of this many fields out of an initializer that
/// assigns them one by one: about 170 instructions an issue. The list owns its slot
/// (``deallocate()``, called by the engine's `deinit`) and belongs to the engine's thread.
struct IssueList {
    private var issues: [DocumentError.Issue] = []
    /// Where the next issue is built before it is moved into ``issues``; uninitialized between.
    private let slot = UnsafeMutablePointer<DocumentError.Issue>.allocate(capacity: 1)

    var isEmpty: Bool { issues.isEmpty }

    /// Whether another issue is kept (at most ``ParseEngine/maxIssues``).
    var hasRoom: Bool { issues.count < ParseEngine.maxIssues }

    /// Adds an issue (nothing when there is no room left).
    mutating func append(
        line: Int, column: Int, element: consuming String?, message: consuming String, domain: DocumentError.Domain,
        code: Int
    ) {
        guard hasRoom else { return }
        Self.initialize(slot, line: line, column: column, element: element, message: message, domain: domain, code: code)
        if issues.capacity == 0 { issues.reserveCapacity(4) }
        issues.append(slot.move())
    }

    /// The issues, in the order they were added; the list is left empty, so the error owns their
    /// storage alone.
    mutating func take() -> [DocumentError.Issue] {
        var taken: [DocumentError.Issue] = []
        swap(&taken, &issues)
        return taken
    }

    /// Drops the issues held (a fresh array: the last error may still share the old one's storage).
    mutating func removeAll() {
        issues = []
    }

    /// Frees the slot; the list must not be used after this.
    func deallocate() {
        slot.deallocate()
    }

    /// Initializes the memory at `slot` as an issue, property by property (see the type's
    /// documentation). Every stored property of ``DocumentError/Issue`` must be written here
    /// (`IssueListTests` checks that there are no others).
    @inline(__always)
    private static func initialize(
        _ slot: UnsafeMutablePointer<DocumentError.Issue>, line: Int, column: Int, element: consuming String?,
        message: consuming String, domain: DocumentError.Domain, code: Int
    ) {
        typealias Issue = DocumentError.Issue
        guard let lineAt = MemoryLayout<Issue>.offset(of: \.line),
            let columnAt = MemoryLayout<Issue>.offset(of: \.column),
            let elementAt = MemoryLayout<Issue>.offset(of: \.element),
            let messageAt = MemoryLayout<Issue>.offset(of: \.message),
            let domainAt = MemoryLayout<Issue>.offset(of: \.domain),
            let codeAt = MemoryLayout<Issue>.offset(of: \.code)
        else {
            // Stored properties always have offsets; this is only what the API requires.
            slot.initialize(
                to: Issue(line: line, column: column, element: element, message: message, domain: domain, code: code))
            return
        }
        let raw = UnsafeMutableRawPointer(slot)
        (raw + lineAt).initializeMemory(as: Int.self, to: line)
        (raw + columnAt).initializeMemory(as: Int.self, to: column)
        (raw + elementAt).initializeMemory(as: String?.self, to: element)
        (raw + messageAt).initializeMemory(as: String.self, to: message)
        (raw + domainAt).initializeMemory(as: DocumentError.Domain.self, to: domain)
        (raw + codeAt).initializeMemory(as: Int.self, to: code)
    }
}
