import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The element a parse expects at the root.
enum DocumentRoot: Sendable {
    /// `<in>`: a request.
    case request
    /// `<out>`: a response.
    case response

    var name: StaticString {
        switch self {
        case .request: "in"
        case .response: "out"
        }
    }
}

/// One libxml2 parser context and schema validation context, with the state of the parse that
/// is using them.
///
/// The document is parsed with SAX2 callbacks and validated while it streams past, with the
/// compiled schema plugged into the SAX stream: no tree is built. Errors arrive through
/// structured handlers that point at this object; they are never printed.
///
/// Ownership: the session owns both contexts and frees them in `deinit`. It belongs to the thread
/// that created it: ``SessionPool`` keeps it in that thread's local storage and hands it out for
/// one parse at a time, which is why it can be marked `@unchecked Sendable` and why it may keep
/// the addresses of that thread's libxml2 error channels.
final class ParseSession: @unchecked Sendable {
    let parser: xmlParserCtxtPtr
    private let validator: xmlSchemaValidCtxtPtr
    /// Where libxml2 keeps the error channels of the thread this session belongs to: a session
    /// is created, used and kept by one thread only (see ``SessionPool``).
    private let errorSlots = ccx_current_error_slots()

    /// The most issues one document reports; the rest would only repeat the same cause.
    static let maxIssues = 64

    /// Whether a parse is using the session now (see ``SessionPool/withSession(_:)``).
    @exclusivity(unchecked) var isBusy = false

    /// How much of a body the push parser is given at a time.
    static let chunkSize = 16_384

    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOENT.rawValue)

    // State of the current parse. Only the thread holding the session touches it (see the type's
    // documentation), so the runtime's exclusivity checks would cost time and prove nothing.
    @exclusivity(unchecked) private var root = DocumentRoot.request
    @exclusivity(unchecked) private var limits = DecodingLimits.default
    @exclusivity(unchecked) private var openElements: [UnsafePointer<xmlChar>] = []
    @exclusivity(unchecked) private var lastEvent = Event.none
    /// Counts SAX events, so that a tag's position is found once however many issues it has.
    @exclusivity(unchecked) private var eventCount = 0
    @exclusivity(unchecked) private var lastElementName: (pointer: UnsafePointer<xmlChar>, name: String)?
    @exclusivity(unchecked) private var cachedTagPosition: (event: Int, position: (line: Int, column: Int))?
    @exclusivity(unchecked) private var lastTag: UnsafePointer<xmlChar>?
    // Issues by the layer that found them; handed to the error whole (moved, not filtered).
    @exclusivity(unchecked) private var policyIssues: [DocumentError.Issue] = []
    @exclusivity(unchecked) private var syntaxIssues: [DocumentError.Issue] = []
    @exclusivity(unchecked) private var schemaIssues: [DocumentError.Issue] = []
    @exclusivity(unchecked) private var refusal: DocumentError.Kind?
    @exclusivity(unchecked) private var schemaIssueCount = 0
    // What the parse took from the document on its way, meaningful once it is valid. Taken out
    // (moved, not copied) by the `take…` methods.
    @exclusivity(unchecked) private var conversationID: String?
    @exclusivity(unchecked) private var toNumber: String?
    @exclusivity(unchecked) private var operatorID: String?
    @exclusivity(unchecked) private var sawOK = false
    @exclusivity(unchecked) private var sawError = false
    @exclusivity(unchecked) private var reason: String?
    @exclusivity(unchecked) private var command: String?
    @exclusivity(unchecked) private var errorBody: String?
    /// The elements being built when the caller asked for the tree (`nil` when not), innermost last.
    @exclusivity(unchecked) private var openTree: [MessageElement]?
    /// The root element, once its end tag has been read, when the tree was asked for.
    @exclusivity(unchecked) private var tree: MessageElement?

    private enum Event { case none, start, end, text }

    init?(schema: CompiledSchema) {
        guard let parser = xmlNewParserCtxt() else { return nil }
        guard let validator = xmlSchemaNewValidCtxt(schema.pointer) else {
            xmlFreeParserCtxt(parser)
            return nil
        }
        self.parser = parser
        self.validator = validator
        openElements.reserveCapacity(8)

        guard let sax = parser.pointee.sax else { return nil }
        sax.pointee = xmlSAXHandler()
        sax.pointee.initialized = UInt32(XML_SAX2_MAGIC)
        sax.pointee.startElementNs = startElementCallback
        sax.pointee.endElementNs = endElementCallback
        sax.pointee.characters = charactersCallback
        sax.pointee.internalSubset = internalSubsetCallback
        xmlSchemaSetValidStructuredErrors(validator, errorCallback, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        xmlSchemaFreeValidCtxt(validator)
        xmlFreeParserCtxt(parser)
    }

    /// How many distinct names the parser's dictionary holds; it grows with every new name a
    /// document brings, so a session that has seen many is retired rather than pooled.
    var dictionarySize: Int {
        parser.pointee.dict.map { Int(xmlDictSize($0)) } ?? 0
    }

    /// Parses and validates `body`. Returns `nil` when the document is well-formed, has the
    /// expected root and is valid; the `take…` methods then hand out what it holds.
    func parse(
        _ body: UnsafeRawBufferPointer, expecting root: DocumentRoot, limits: DecodingLimits, buildingTree: Bool = false
    ) -> DocumentError? {
        self.root = root
        openTree = buildingTree ? [] : nil
        tree = nil
        self.limits = limits
        if !openElements.isEmpty { openElements.removeAll(keepingCapacity: true) }
        // Fresh arrays rather than emptied ones: the last error may still share their storage.
        if !policyIssues.isEmpty { policyIssues = [] }
        if !syntaxIssues.isEmpty { syntaxIssues = [] }
        if !schemaIssues.isEmpty { schemaIssues = [] }
        lastEvent = .none
        cachedTagPosition = nil
        lastElementName = nil
        lastTag = nil
        refusal = nil
        schemaIssueCount = 0
        conversationID = nil
        toNumber = nil
        operatorID = nil
        sawOK = false
        sawError = false
        reason = nil
        command = nil
        errorBody = nil

        guard let base = body.baseAddress, body.count > 0 else {
            return DocumentError(
                kind: .notWellFormed,
                issues: [
                    .init(
                        line: 1, column: 1, element: nil, message: "Document is empty", domain: .syntax,
                        code: Int(XML_ERR_DOCUMENT_EMPTY.rawValue))
                ])
        }

        let me = Unmanaged.passUnretained(self).toOpaque()
        let savedChannels = ccx_borrow_error_channels_at(errorSlots, errorCallback, me)
        defer { ccx_restore_error_channels(savedChannels) }

        // The push parser, fed the whole body at once: it copies the body into a buffer of its
        // own, and unlike the pull parser it does not try to read more input at every step.
        // The first four bytes go to the reset, which detects the encoding from them.
        let head = Swift.min(4, body.count)
        let chars = base.assumingMemoryBound(to: CChar.self)
        guard xmlCtxtResetPush(parser, chars, Int32(head), nil, nil) == 0 else {
            xmlCtxtReset(parser)
            return internalFailure("libxml2 could not reset its push parser")
        }
        xmlCtxtUseOptions(parser, Self.options)
        parser.pointee.userData = me
        guard let plug = ccx_plug_validator(validator, parser) else {
            xmlCtxtReset(parser)
            return internalFailure("libxml2 could not attach the schema validator")
        }
        // Fed in chunks so that a refusal stops the parser within one chunk. The stop cannot
        // happen inside the SAX callback that refuses: libxml2 2.9's xmlStopParser frees the
        // input while the schema validator, called right after, still reads attribute values
        // from it.
        var offset = head
        repeat {
            let length = Swift.min(Self.chunkSize, body.count - offset)
            let last = offset + length == body.count
            xmlParseChunk(parser, chars + offset, Int32(length), last ? 1 : 0)
            offset += length
            if refusal != nil {
                xmlStopParser(parser)
                break
            }
        } while offset < body.count
        let validatorAgrees = xmlSchemaIsValid(validator) == 1
        xmlSchemaSAXUnplug(plug)

        let wellFormed = parser.pointee.wellFormed != 0 && parser.pointee.nsWellFormed != 0
        if let document = parser.pointee.myDoc {
            xmlFreeDoc(document)
            parser.pointee.myDoc = nil
        }
        // Frees the input stream and the parser's per-document state.
        xmlCtxtReset(parser)

        if let refusal {
            return DocumentError(kind: refusal, issues: Self.take(&policyIssues))
        }
        if !wellFormed || !syntaxIssues.isEmpty {
            let found = Self.take(&syntaxIssues)
            return DocumentError(
                kind: .notWellFormed,
                issues: found.isEmpty
                    ? [
                        .init(
                            line: 0, column: 0, element: nil, message: "the document is not well-formed", domain: .syntax, code: 0
                        )
                    ]
                    : found)
        }
        if schemaIssueCount > 0 || !validatorAgrees {
            let found = Self.take(&schemaIssues)
            return DocumentError(
                kind: .notValid,
                issues: found.isEmpty
                    ? [
                        .init(
                            line: 0, column: 0, element: nil, message: "the schema validator rejected the document",
                            domain: .schema, code: 0)
                    ]
                    : found)
        }
        return nil
    }

    /// The issues, leaving an empty array behind, so the error owns their storage alone.
    private static func take(_ issues: inout [DocumentError.Issue]) -> [DocumentError.Issue] {
        var taken: [DocumentError.Issue] = []
        swap(&taken, &issues)
        return taken
    }

    private func internalFailure(_ message: String) -> DocumentError {
        DocumentError(
            kind: .internalFailure,
            issues: [
                .init(line: 0, column: 0, element: nil, message: message, domain: .policy, code: 0)
            ])
    }

    /// The request a valid `<in>` document held, moved out of the session.
    func takeRequest() -> CallConsultRequest? {
        guard let conversationID = conversationID.take(), let toNumber = toNumber.take() else { return nil }
        return CallConsultRequest(conversationID: conversationID, toNumber: toNumber, operatorID: operatorID.take())
    }

    /// The response a valid `<out>` document held, moved out of the session.
    func takeResponse() -> CallConsultResponse? {
        if sawOK { return .ok }
        guard sawError, let reason = reason.take() else { return nil }
        return .error(ErrorReply(reason: reason, command: command.take(), body: errorBody.take()))
    }

    /// The tree of the document, when the parse was asked to build it, moved out of the session.
    func takeTree() -> MessageElement? {
        tree.take()
    }

    // MARK: SAX events

    fileprivate func startElement(
        _ localName: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, namespace: UnsafePointer<xmlChar>?,
        namespaceCount: Int, namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
        attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        openElements.append(localName)
        lastEvent = .start
        eventCount &+= 1
        lastTag = localName
        let depth = openElements.count
        if depth > limits.maxDepth {
            refuse(.refusedByPolicy, "elements are nested deeper than \(limits.maxDepth) levels (DecodingLimits.maxDepth)")
            return
        }
        if namespaceCount + attributeCount > limits.maxAttributesPerElement {
            refuse(
                .refusedByPolicy,
                "the start tag carries \(namespaceCount + attributeCount) attributes; at most \(limits.maxAttributesPerElement) are accepted (DecodingLimits.maxAttributesPerElement)"
            )
            return
        }
        if openTree != nil {
            openTree?.append(
                Self.element(
                    localName, prefix: prefix, namespaceCount: namespaceCount, namespaces: namespaces,
                    attributeCount: attributeCount, attributes: attributes))
        }
        if depth == 1 {
            guard namespace == nil, localName.equals(root.name) else {
                let found = namespace.map { "{\(String(cString: $0))}" } ?? ""
                refuse(
                    .wrongRoot,
                    "the root element is '\(found)\(String(cString: localName))'; a \(root == .request ? "request" : "response") has the root element '\(root.name)' with no namespace"
                )
                return
            }
            return
        }
        guard namespace == nil else { return }
        switch (root, depth) {
        case (.request, 3) where localName.equals("call_consult"):
            forEachAttribute(attributes, attributeCount) { name, value in
                if name.equals("conversation_id") {
                    conversationID = value()
                } else if name.equals("to_number") {
                    toNumber = value()
                } else if name.equals("operator_id") {
                    operatorID = value()
                }
            }
        case (.response, 2) where localName.equals("error"):
            sawError = true
            forEachAttribute(attributes, attributeCount) { name, value in
                if name.equals("reason") {
                    reason = value()
                } else if name.equals("cmd") {
                    command = value()
                } else if name.equals("body") {
                    errorBody = value()
                }
            }
        case (.response, 3) where localName.equals("ok"):
            sawOK = true
        default:
            break
        }
    }

    /// Calls `body` with each attribute that has no namespace: its name, and a function that
    /// makes its value a `String` (so that values nobody asks for are never copied).
    private func forEachAttribute(
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ count: Int,
        _ body: (UnsafePointer<xmlChar>, () -> String) -> Void
    ) {
        // libxml2 passes no array at all for a tag without attributes.
        guard let attributes else { return }
        // libxml2 passes five pointers per attribute: local name, prefix, namespace, value, end.
        for index in 0..<count {
            let entry = attributes + 5 * index
            guard let name = entry[0], entry[2] == nil, let start = entry[3], let end = entry[4] else { continue }
            body(name) {
                String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
            }
        }
    }

    fileprivate func endElement() {
        lastEvent = .end
        eventCount &+= 1
        lastTag = openElements.popLast()
        guard var element = openTree?.popLast() else { return }
        // White space between child elements is not content.
        if element.content.contains(where: { if case .element = $0 { true } else { false } }) {
            element.content.removeAll { piece in
                if case .text(let text) = piece { text.utf8.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) } } else { false }
            }
        }
        if let parent = openTree?.indices.last {
            openTree?[parent].content.append(.element(element))
        } else {
            tree = element
        }
    }

    fileprivate func characters(_ characters: UnsafePointer<xmlChar>?, _ length: Int) {
        lastEvent = .text
        eventCount &+= 1
        guard openTree != nil, let characters, length > 0, let last = openTree?.indices.last else { return }
        let text = String(decoding: UnsafeBufferPointer(start: characters, count: length), as: UTF8.self)
        if case .text(let previous)? = openTree?[last].content.last {
            // libxml2 may deliver one run of text in several calls.
            openTree?[last].content.removeLast()
            openTree?[last].content.append(.text(previous + text))
        } else {
            openTree?[last].content.append(.text(text))
        }
    }

    /// A tree element for a start tag: its name as written, namespace declarations, attributes.
    private static func element(
        _ localName: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?,
        namespaceCount: Int, namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
        attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) -> MessageElement {
        func qualified(_ local: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?) -> String {
            prefix.map { String(cString: $0) + ":" + String(cString: local) } ?? String(cString: local)
        }
        var element = MessageElement(name: qualified(localName, prefix))
        if let namespaces {
            // Two pointers per declaration: prefix (NULL for the default namespace), URI.
            for index in 0..<namespaceCount {
                let declaredPrefix = namespaces[2 * index]
                let uri = namespaces[2 * index + 1].map { String(cString: $0) } ?? ""
                element.attributes.append(
                    .init(name: declaredPrefix.map { "xmlns:" + String(cString: $0) } ?? "xmlns", value: uri))
            }
        }
        if let attributes {
            for index in 0..<attributeCount {
                let entry = attributes + 5 * index
                guard let name = entry[0], let start = entry[3], let end = entry[4] else { continue }
                let value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                element.attributes.append(.init(name: qualified(name, entry[1]), value: value))
            }
        }
        return element
    }

    fileprivate func internalSubset() {
        refuse(
            .refusedByPolicy,
            "a DOCTYPE declaration is refused: requests need none, and DTDs carry entity-expansion and external-entity attacks")
    }

    /// Records a policy refusal and ends the document's events: nothing after this point reaches
    /// the session or the validator, and the parser is stopped after the current chunk.
    private func refuse(_ kind: DocumentError.Kind, _ message: String) {
        guard refusal == nil else { return }
        let position = tagPosition()
        policyIssues.append(
            .init(
                line: position.line, column: position.column, element: lastTag.map(elementName),
                message: message, domain: .policy, code: 0))
        refusal = kind
        // No more events: the caller stops the parser once this chunk is done.
        parser.pointee.disableSAX = 1
    }

    // MARK: Errors

    fileprivate func record(_ error: xmlError) {
        guard refusal == nil, error.level != XML_ERR_WARNING else { return }
        let isSchema = error.domain == Int32(XML_FROM_SCHEMASV.rawValue)
        if isSchema { schemaIssueCount += 1 }
        guard (isSchema ? schemaIssues.count : syntaxIssues.count) < Self.maxIssues else { return }
        let message = error.message.map { String(libxml2Message: $0) } ?? "unknown error"
        let line: Int
        let column: Int
        let element: UnsafePointer<xmlChar>?
        if isSchema {
            (line, column) = lastEvent == .text ? inputPosition() : tagPosition()
            element = lastEvent == .text ? openElements.last : lastTag
        } else {
            if error.line > 0 {
                (line, column) = (Int(error.line), Int(error.int2))
            } else {
                (line, column) = inputPosition()
            }
            // Once libxml2 has met a fatal error it sends no more events, so the open elements
            // are only known for the first one.
            element = parser.pointee.disableSAX == 0 ? openElements.last : nil
        }
        let issue = DocumentError.Issue(
            line: line, column: column, element: element.map(elementName),
            message: message, domain: isSchema ? .schema : .syntax, code: Int(error.code))
        if isSchema {
            if schemaIssues.capacity == 0 { schemaIssues.reserveCapacity(4) }
            schemaIssues.append(issue)
        } else {
            if syntaxIssues.capacity == 0 { syntaxIssues.reserveCapacity(4) }
            syntaxIssues.append(issue)
        }
    }

    /// The name of an element as a `String`. Names are interned in the parser's dictionary, so
    /// the same pointer is the same name: issues about one element share one conversion.
    private func elementName(_ name: UnsafePointer<xmlChar>) -> String {
        if let cached = lastElementName, cached.pointer == name { return cached.name }
        let converted = String(cString: name)
        lastElementName = (name, converted)
        return converted
    }

    /// Where the parser stands now.
    private func inputPosition() -> (line: Int, column: Int) {
        guard let input = parser.pointee.input else { return (0, 0) }
        return (Int(input.pointee.line), Int(input.pointee.col))
    }

    /// Where the tag the parser is in, or has just read, begins: the last `<` before the parser's
    /// position. Attribute values cannot hold a literal `<`, so no other `<` stands between.
    private func tagPosition() -> (line: Int, column: Int) {
        // Several issues often concern one tag: find its position once per event.
        if let cached = cachedTagPosition, cached.event == eventCount { return cached.position }
        let position = findTagPosition()
        cachedTagPosition = (eventCount, position)
        return position
    }

    private func findTagPosition() -> (line: Int, column: Int) {
        let here = inputPosition()
        guard let input = parser.pointee.input, let base = input.pointee.base, let cursor = input.pointee.cur,
            cursor > base
        else { return here }
        guard let open = Self.lastIndex(of: UInt8(ascii: "<"), in: base, count: cursor - base) else { return here }
        let tag = UnsafeBufferPointer(start: base + open + 1, count: cursor - base - open - 1)
        let newlines = Self.count(UInt8(ascii: "\n"), in: tag)
        guard newlines > 0 else { return (here.line, max(1, here.column - Self.characterCount(tag) - 1)) }
        // The tag spans lines: count the characters before it on its own line.
        let lineStart = Self.lastIndex(of: UInt8(ascii: "\n"), in: base, count: open).map { $0 + 1 } ?? 0
        let before = UnsafeBufferPointer(start: base + lineStart, count: open - lineStart)
        return (here.line - newlines, Self.characterCount(before) + 1)
    }

    /// The index of the last `byte` among the `count` bytes at `base`.
    private static func lastIndex(of byte: UInt8, in base: UnsafePointer<UInt8>, count: Int) -> Int? {
        guard count > 0, let found = ccx_last_byte(base, count, byte) else { return nil }
        return found - base
    }

    /// How many times `byte` occurs in `bytes`.
    private static func count(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard var cursor = bytes.baseAddress else { return 0 }
        let end = cursor + bytes.count
        var found = 0
        while cursor < end, let hit = memchr(cursor, Int32(byte), end - cursor) {
            found += 1
            cursor = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return found
    }

    /// How many characters the UTF-8 `bytes` hold (libxml2 counts columns in characters).
    private static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        // Mostly ASCII: look at eight bytes at a time for any byte of a multi-byte character.
        let raw = UnsafeRawBufferPointer(bytes)
        var index = 0
        var ascii = true
        while index + 8 <= raw.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                ascii = false
                break
            }
            index += 8
        }
        if ascii {
            while index < raw.count, raw[index] < 0x80 { index += 1 }
            if index == raw.count { return raw.count }
        }
        var characters = 0
        for byte in bytes where byte & 0xC0 != 0x80 { characters &+= 1 }
        return characters
    }
}

extension UnsafePointer<xmlChar> {
    /// Whether this NUL-terminated string equals `other`, byte for byte.
    func equals(_ other: StaticString) -> Bool {
        other.withUTF8Buffer { expected in
            for index in 0..<expected.count where self[index] != expected[index] {
                return false
            }
            return self[expected.count] == 0
        }
    }
}

// The callbacks libxml2 calls. Each finds its session through the context pointer it was given.

/// Runs `body` on the session behind `context` without retaining it: the session outlives every
/// callback, because it is held by the parse that libxml2 is calling back from.
@inline(__always)
private func withSession(_ context: UnsafeMutableRawPointer?, _ body: (ParseSession) -> Void) {
    guard let context else { return }
    Unmanaged<ParseSession>.fromOpaque(context)._withUnsafeGuaranteedRef(body)
}

private let startElementCallback: startElementNsSAX2Func = {
    context, localName, prefix, namespace, namespaceCount, namespaces, attributeCount, _, attributes in
    guard let localName else { return }
    withSession(context) {
        $0.startElement(
            localName, prefix: prefix, namespace: namespace, namespaceCount: Int(namespaceCount), namespaces: namespaces,
            attributeCount: Int(attributeCount), attributes: attributes)
    }
}

private let endElementCallback: endElementNsSAX2Func = { context, _, _, _ in
    withSession(context) { $0.endElement() }
}

private let charactersCallback: charactersSAXFunc = { context, characters, length in
    withSession(context) { $0.characters(characters, Int(length)) }
}

private let internalSubsetCallback: internalSubsetSAXFunc = { context, _, _, _ in
    withSession(context) { $0.internalSubset() }
}

private let errorCallback: xmlStructuredErrorFunc = { context, error in
    guard let error else { return }
    withSession(context) { $0.record(error.pointee) }
}
