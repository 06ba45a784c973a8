/// What one message takes from the SAX events of a document, while the engine parses and
/// validates it.
///
/// The engine (``ParseEngine``) owns libxml2, the limits, the root check and the issues; a capture
/// only sees start tags, end tags and text, through views that hold no libxml2 types, so a unit
/// test can feed one events by hand. Adding a message is a schema, a model and a capture.
///
/// A capture is a value on the decoding thread's stack: the engine drives it through a pointer for
/// the length of one parse and never keeps it.
protocol MessageCapture {
    /// What a valid document gives.
    associatedtype Message

    /// A capture before the document's first event.
    init()

    /// Whether the capture needs ``text(_:)`` (most messages carry no text).
    static var wantsText: Bool { get }

    /// Whether the capture needs ``end()``: the engine calls it only then (a capture that
    /// implements it says so).
    static var wantsEnd: Bool { get }

    /// Whether the message carries a secret (the login's API key): the parser's messages then
    /// quote no text of the document (see ``ParseEngine/record(_:)``), and the capture keeps its
    /// values as strings, never as ``PendingValue``s (the engine's ``ValueStore`` is reused, not
    /// cleared).
    static var holdsSecret: Bool { get }

    /// A start tag, after the engine checked the limits and the root element.
    mutating func start(_ tag: StartTag)
    /// The end tag of the element whose ``StartTag`` came last among those still open (only when
    /// ``wantsEnd``).
    mutating func end()
    /// Text inside the innermost open element; libxml2 may deliver one run in several pieces.
    mutating func text(_ text: UnsafeBufferPointer<UInt8>)
    /// What the document held, once the engine has found it valid; `nil` only if the schema let
    /// through a shape the capture does not understand. Called in the same `EnginePool.withEngine`
    /// body as the parse, before the engine parses again: the ``PendingValue``s a capture keeps
    /// are in that engine's ``ValueStore`` only until then.
    mutating func take() -> Message?

    // The engine keeps the capture's type and a pointer to it while it parses, and forwards each
    // event through these (given by the extension below; not to be written by a capture).
    static func start(_ target: UnsafeMutableRawPointer, _ tag: StartTag)
    static func end(_ target: UnsafeMutableRawPointer)
    static func text(_ target: UnsafeMutableRawPointer, _ text: UnsafeBufferPointer<UInt8>)
}

extension MessageCapture {
    static var wantsText: Bool { false }
    static var wantsEnd: Bool { false }
    static var holdsSecret: Bool { false }
    mutating func end() {}
    mutating func text(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// Forwarding from a type-erased pointer to the capture's own methods.
extension MessageCapture {
    static func start(_ target: UnsafeMutableRawPointer, _ tag: StartTag) {
        target.assumingMemoryBound(to: Self.self).pointee.start(tag)
    }

    static func end(_ target: UnsafeMutableRawPointer) {
        target.assumingMemoryBound(to: Self.self).pointee.end()
    }

    static func text(_ target: UnsafeMutableRawPointer, _ text: UnsafeBufferPointer<UInt8>) {
        target.assumingMemoryBound(to: Self.self).pointee.text(text)
    }
}

/// A name as libxml2 reports it: NUL-terminated UTF-8, borrowed for the length of one event.
struct XMLName {
    let pointer: UnsafePointer<UInt8>

    /// Whether the name is `other`, byte for byte.
    @inline(__always)
    func equals(_ other: StaticString) -> Bool {
        other.withUTF8Buffer { expected in
            for index in 0..<expected.count where pointer[index] != expected[index] {
                return false
            }
            return pointer[expected.count] == 0
        }
    }

    /// The name as a `String` (a copy).
    var string: String { String(cString: pointer) }
}

/// A start tag as the engine hands it to a capture: valid for the length of the event.
struct StartTag {
    /// 1 for the root element.
    let depth: Int
    let localName: XMLName
    let prefix: XMLName?
    /// The element's namespace URI; `nil` when it is in no namespace.
    let namespaceURI: XMLName?
    /// Namespace declarations: two pointers each (prefix, NULL for the default namespace; URI).
    let namespaceCount: Int
    let namespaces: UnsafePointer<UnsafePointer<UInt8>?>?
    /// Attributes: five pointers each (local name, prefix, namespace URI, value start, value end).
    let attributeCount: Int
    let attributes: UnsafePointer<UnsafePointer<UInt8>?>?
    /// Where a capture keeps values until ``MessageCapture/take()`` (``PendingValue``): the
    /// engine's store, unretained (the engine outlives every capture it drives). Not for a
    /// capture that ``MessageCapture/holdsSecret``.
    let values: Unmanaged<ValueStore>

    /// Calls `body` with each attribute in no namespace: its name, and a function that makes its
    /// value a `String`, so that values nobody asks for are never copied.
    @inline(__always)
    func forEachAttribute(_ body: (XMLName, () -> String) -> Void) {
        forEachAttributeValue { name, value in
            body(name) { String(decoding: value, as: UTF8.self) }
        }
    }

    /// Calls `body` with each attribute in no namespace: its name and its value's UTF-8 bytes,
    /// borrowed for the call (see ``PendingValue`` to keep them).
    @inline(__always)
    func forEachAttributeValue(_ body: (XMLName, UnsafeBufferPointer<UInt8>) -> Void) {
        // libxml2 passes no array at all for a tag without attributes.
        guard let attributes else { return }
        for index in 0..<attributeCount {
            let entry = attributes + 5 * index
            guard let name = entry[0], entry[2] == nil, let start = entry[3], let end = entry[4] else { continue }
            body(XMLName(pointer: name), UnsafeBufferPointer(start: start, count: end - start))
        }
    }

    /// Every attribute, namespaced ones included: qualified name (`prefix:local`) and value.
    func forEachQualifiedAttribute(_ body: (String, String) -> Void) {
        guard let attributes else { return }
        for index in 0..<attributeCount {
            let entry = attributes + 5 * index
            guard let name = entry[0], let start = entry[3], let end = entry[4] else { continue }
            let value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
            body(Self.qualified(XMLName(pointer: name), entry[1].map(XMLName.init)), value)
        }
    }

    /// Every namespace declaration as the attribute that wrote it: `xmlns` or `xmlns:prefix`, URI.
    func forEachNamespaceDeclaration(_ body: (String, String) -> Void) {
        guard let namespaces else { return }
        for index in 0..<namespaceCount {
            let uri = namespaces[2 * index + 1].map { String(cString: $0) } ?? ""
            body(namespaces[2 * index].map { "xmlns:" + String(cString: $0) } ?? "xmlns", uri)
        }
    }

    /// Whether the element is in a namespace.
    var hasNamespace: Bool { namespaceURI != nil }

    /// The element's name as written: `prefix:local` or `local`.
    var qualifiedName: String { Self.qualified(localName, prefix) }

    private static func qualified(_ local: XMLName, _ prefix: XMLName?) -> String {
        prefix.map { $0.string + ":" + local.string } ?? local.string
    }
}
