/// The issues one layer (policy, syntax or schema) finds while a document is parsed, handed to
/// the error whole when the parse ends.
///
/// An issue is written in place, one stored property at a time, into a slot of the list's own,
/// then moved into the array: built with
/// ``DocumentError/Issue/init(line:column:element:message:domain:code:)`` and appended, it was
/// copied (its two strings retained) and the original destroyed (released again), because the
/// optimizer (Swift 6.3) does not forward a struct of this many fields out of an initializer that
/// assigns them one by one: about 170 instructions an issue.
///
/// A document that repeats, in order, every issue of the last one handed out (a client sending the
/// same invalid request again) gets that array back, shared, rather than a new one to allocate,
/// fill and free again: the issues are compared as they come, and only built once one differs.
/// The array is kept only while it is small (``maxKept`` issues, texts no longer than
/// ``IssueTextCache/maxBytes``) and never for a document that holds a secret. The list owns its
/// slot (``deallocate()``, called by the engine's `deinit`) and belongs to the engine's thread.
struct IssueList {
    /// The most issues a kept array has.
    static let maxKept = 8

    private var issues: [DocumentError.Issue] = []
    /// Where the next issue is built before it is moved into ``issues``; uninitialized between.
    private let slot = UnsafeMutablePointer<DocumentError.Issue>.allocate(capacity: 1)
    /// The array the last ``take(keeping:)`` handed out, while it is worth keeping; else empty.
    private var last: [DocumentError.Issue] = []
    /// How many issues of ``last`` the current document has repeated in order, with ``issues``
    /// empty; -1 once it has one of its own.
    private var repeated = 0

    var isEmpty: Bool { repeated <= 0 && issues.isEmpty }

    /// How many issues the current document has.
    var count: Int { repeated > 0 ? repeated : issues.count }

    /// Whether another issue is kept (at most ``ParseEngine/maxIssues``).
    var hasRoom: Bool { count < ParseEngine.maxIssues }

    /// Adds an issue (nothing when there is no room left).
    mutating func append(
        line: Int, column: Int, element: consuming String?, message: consuming String, domain: DocumentError.Domain,
        code: Int
    ) {
        guard hasRoom else { return }
        if repeated >= 0 {
            let index = repeated
            let same = last.withUnsafeBufferPointer { kept in
                guard index < kept.count, let base = kept.baseAddress else { return false }
                let issue = base + index
                return issue.pointee.line == line && issue.pointee.column == column && issue.pointee.code == code
                    && issue.pointee.domain == domain && issue.pointee.message == message
                    && issue.pointee.element == element
            }
            if same {
                repeated += 1
                return
            }
            // The document goes its own way: the issues it repeated so far start its own array.
            if index > 0 { issues = Array(last[0..<index]) }
            repeated = -1
        }
        Self.initialize(slot, line: line, column: column, element: element, message: message, domain: domain, code: code)
        if issues.capacity == 0 { issues.reserveCapacity(4) }
        issues.append(slot.move())
    }

    /// The issues, in the order they were added; the list is left empty, so the error owns their
    /// storage (or shares it with this list only, which never changes it). `keeping`: whether the
    /// array may be kept to be handed out again (not for a document that holds a secret).
    mutating func take(keeping: Bool) -> [DocumentError.Issue] {
        defer { repeated = 0 }
        if repeated > 0, repeated == last.count { return last }
        var taken: [DocumentError.Issue] = []
        if repeated > 0 {
            taken = Array(last[0..<repeated])
        } else {
            swap(&taken, &issues)
        }
        last = keeping && Self.isWorthKeeping(taken) ? taken : []
        return taken
    }

    /// Drops the issues of the current document (a fresh array: the last error may still share the
    /// old one's storage).
    mutating func removeAll() {
        if !issues.isEmpty { issues = [] }
        repeated = 0
    }

    /// Frees the slot; the list must not be used after this.
    func deallocate() {
        slot.deallocate()
    }

    /// Whether `issues` are few and short enough to keep between documents.
    private static func isWorthKeeping(_ issues: [DocumentError.Issue]) -> Bool {
        issues.count <= maxKept
            && issues.allSatisfy {
                $0.message.utf8.count <= IssueTextCache.maxBytes && ($0.element?.utf8.count ?? 0) <= IssueTextCache.maxBytes
            }
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
