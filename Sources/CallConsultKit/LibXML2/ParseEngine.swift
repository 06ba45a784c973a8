import CLibXML2

/// The one libxml2 reader behind every message: a parser context and schema validation contexts,
/// with the state of the parse that is using them.
///
/// A document is parsed with SAX2 callbacks and validated while it streams past, with the
/// compiled schema plugged into the SAX stream: no tree is built. The engine checks the limits
/// and the root element, collects the issues with their positions, and hands start tags, end tags
/// and text to the ``MessageCapture`` of the message being decoded. Errors arrive through
/// structured handlers that point at this object; they are never printed.
///
/// Ownership: the engine owns the parser context and every validation context, and frees them in
/// `deinit`. It belongs to the thread that created it: ``EnginePool`` keeps it in that thread's
/// local storage and hands it out for one parse at a time, which is why it can be marked
/// `@unchecked Sendable`, why the per-parse state below skips the runtime's exclusivity checks
/// (only the thread holding the engine touches it), and why it may keep the addresses of that
/// thread's libxml2 error channels. Captures hold none of this: they see Swift views of one event.
final class ParseEngine: @unchecked Sendable {
    let parser: xmlParserCtxtPtr
    /// One validation context per bundled schema, made on first use.
    @exclusivity(unchecked) private var validators: [xmlSchemaValidCtxtPtr?]
    /// Validation contexts for users' schemas (``CommandSchema``), each with the schema it
    /// validates against, kept alive by this list; at most ``maxUserValidators``, the latest.
    @exclusivity(unchecked) private var userValidators: [(schema: CompiledSchema, validator: xmlSchemaValidCtxtPtr)] = []

    /// How many users' schemas an engine keeps a validation context for.
    static let maxUserValidators = 8
    /// Where libxml2 keeps the error channels of the thread this engine belongs to.
    private let errorSlots = ccx_current_error_slots()

    /// The most issues one document reports; the rest would only repeat the same cause.
    static let maxIssues = 64

    /// How much of a body the push parser is given at a time.
    static let chunkSize = 16_384

    /// Whether a parse is using the engine now (see ``EnginePool/withEngine(_:)``).
    @exclusivity(unchecked) var isBusy = false

    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOENT.rawValue)

    // State of the current parse (see the type's documentation).
    @exclusivity(unchecked) var root = DocumentRoot.request
    @exclusivity(unchecked) var limits = DecodingLimits.default
    /// The open elements, innermost last at `depth - 1`, each with where its start tag ends; the
    /// entries above them, up to `storedElements`, are elements already closed (see
    /// ``lastClosed``). Owned by the engine, grown on demand, freed in `deinit`.
    @exclusivity(unchecked) var openElements: UnsafeMutablePointer<OpenElement>
    @exclusivity(unchecked) var openCapacity = 8
    @exclusivity(unchecked) var storedElements = 0
    /// How many elements are open.
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var lastEvent = Event.none
    /// Counts the chunks given to the parser: a tag read during the current one still has its
    /// text in the parser's buffer.
    @exclusivity(unchecked) var chunkSerial: Int32 = 0
    @exclusivity(unchecked) var lastElementName: (pointer: UnsafePointer<xmlChar>, name: String)?
    /// Issue texts reported before, reused when a document repeats them (see ``IssueTextCache``).
    let issueTexts = IssueTextCache()
    /// The attribute values the capture keeps until it is taken; emptied when the decode ends
    /// (`CallConsultCodec.decode`) and, should a decode have left any, before the next parse.
    let values = ValueStore()
    /// Whether a fatal syntax error was met: libxml2 sends no more events after one.
    @exclusivity(unchecked) var sawFatalSyntaxError = false
    // Issues by the layer that found them; moved into the error whole (not filtered).
    @exclusivity(unchecked) var policyIssues = IssueList()
    @exclusivity(unchecked) var syntaxIssues = IssueList()
    @exclusivity(unchecked) var schemaIssues = IssueList()
    @exclusivity(unchecked) var refusal: DocumentError.Kind?
    @exclusivity(unchecked) var schemaIssueCount = 0
    /// The capture of the current parse, and its event handlers, for the callbacks.
    @exclusivity(unchecked) var capture: UnsafeMutableRawPointer?
    @exclusivity(unchecked) var captureType: any MessageCapture.Type = TreeCapture.self
    @exclusivity(unchecked) var captureWantsText = false
    @exclusivity(unchecked) var captureWantsEnd = false
    /// Whether the document holds a secret, so that syntax messages must not quote its text.
    @exclusivity(unchecked) var holdsSecret = false

    enum Event { case none, start, end, text }

    /// The index in ``openElements`` of the innermost open element.
    var innermost: Int? { depth > 0 ? depth - 1 : nil }

    /// The index in ``openElements`` of the element whose end tag was just read, while no other
    /// event has come since.
    var lastClosed: Int? { lastEvent == .end && depth < storedElements ? depth : nil }

    init?() {
        guard let parser = xmlNewParserCtxt() else { return nil }
        self.parser = parser
        validators = Array(repeating: nil, count: BundledSchema.allCases.count)
        openElements = .allocate(capacity: openCapacity)
        guard let sax = ccx_sax_handler(parser) else { return nil }
        sax.pointee = xmlSAXHandler()
        sax.pointee.initialized = UInt32(XML_SAX2_MAGIC)
        SAXCallbacks.install(in: sax)
        // Where libxml2 has a handler on the parser (2.13 and later), its errors go there for good;
        // before, `run` borrows the thread's error channels for each parse.
        ccx_route_parser_errors(parser, SAXCallbacks.error, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        openElements.deinitialize(count: storedElements)
        openElements.deallocate()
        policyIssues.deallocate()
        syntaxIssues.deallocate()
        schemaIssues.deallocate()
        for case let validator? in validators { xmlSchemaFreeValidCtxt(validator) }
        for entry in userValidators { xmlSchemaFreeValidCtxt(entry.validator) }
        xmlFreeParserCtxt(parser)
    }

    /// How many distinct names the parser's dictionary holds; it grows with every new name a
    /// document brings, so an engine that has seen many is retired rather than kept.
    var dictionarySize: Int {
        ccx_dict(parser).map { Int(xmlDictSize($0)) } ?? 0
    }

    /// The validation context for `schema`, made on first use (when a bundled schema is compiled,
    /// once per process).
    private func validator(for schema: SchemaChoice) -> Result<xmlSchemaValidCtxtPtr, DocumentError> {
        switch schema {
        case .bundled(let id):
            if let validator = validators[id.rawValue] { return .success(validator) }
            return id.compiled.flatMap { compiled in
                makeValidator(compiled).map { validator in
                    validators[id.rawValue] = validator
                    return validator
                }
            }
        case .user(let compiled):
            if let entry = userValidators.first(where: { $0.schema === compiled }) { return .success(entry.validator) }
            return makeValidator(compiled).map { validator in
                if userValidators.count == Self.maxUserValidators {
                    xmlSchemaFreeValidCtxt(userValidators.removeFirst().validator)
                }
                userValidators.append((compiled, validator))
                return validator
            }
        }
    }

    private func makeValidator(_ compiled: CompiledSchema) -> Result<xmlSchemaValidCtxtPtr, DocumentError> {
        guard let validator = xmlSchemaNewValidCtxt(compiled.pointer) else {
            return .failure(Self.internalFailure("libxml2 could not create a schema validation context (out of memory?)"))
        }
        xmlSchemaSetValidStructuredErrors(validator, SAXCallbacks.error, Unmanaged.passUnretained(self).toOpaque())
        return .success(validator)
    }

    /// Parses and validates `body` against `schema`, expecting `root`, and lets `capture` see its
    /// events. Returns `nil` when the document is well-formed, has the expected root and is
    /// valid; `capture` then holds what it took.
    func parse<Capture: MessageCapture>(
        _ body: UnsafeRawBufferPointer, schema: SchemaChoice, root: DocumentRoot, limits: DecodingLimits,
        into capture: inout Capture
    ) -> DocumentError? {
        guard let base = body.baseAddress, body.count > 0 else {
            return DocumentError(
                kind: .notWellFormed,
                issues: [
                    .init(
                        line: 1, column: 1, element: nil, message: "Document is empty", domain: .syntax,
                        code: Int(XML_ERR_DOCUMENT_EMPTY.rawValue))
                ])
        }
        let validator: xmlSchemaValidCtxtPtr
        if case .bundled(let id) = schema, let made = validators[id.rawValue] {
            validator = made  // the usual case, without building a Result
        } else {
            switch self.validator(for: schema) {
            case .success(let made): validator = made
            case .failure(let error): return error
            }
        }
        reset(root: root, limits: limits)
        captureType = Capture.self
        captureWantsText = Capture.wantsText
        captureWantsEnd = Capture.wantsEnd
        holdsSecret = Capture.holdsSecret
        return withUnsafeMutablePointer(to: &capture) { target in
            self.capture = UnsafeMutableRawPointer(target)
            defer { self.capture = nil }
            return run(base, count: body.count, validator: validator)
        }
    }

    private func reset(root: DocumentRoot, limits: DecodingLimits) {
        self.root = root
        self.limits = limits
        depth = 0
        storedElements = 0
        // Normally taken by the last error already.
        if !policyIssues.isEmpty { policyIssues.removeAll() }
        if !syntaxIssues.isEmpty { syntaxIssues.removeAll() }
        if !schemaIssues.isEmpty { schemaIssues.removeAll() }
        lastEvent = .none
        lastElementName = nil
        values.removeAll()
        sawFatalSyntaxError = false
        refusal = nil
        schemaIssueCount = 0
    }

    private func run(_ base: UnsafeRawPointer, count: Int, validator: xmlSchemaValidCtxtPtr) -> DocumentError? {
        let me = Unmanaged.passUnretained(self).toOpaque()
        let savedChannels = ccx_borrow_parse_error_channels(errorSlots, SAXCallbacks.error, me)
        defer { ccx_restore_error_channels(savedChannels) }

        // The push parser: it copies the body into a buffer of its own, and unlike the pull
        // parser it does not try to read more input at every step. The first four bytes go to
        // the reset, which detects the encoding from them.
        let head = Swift.min(4, count)
        let chars = base.assumingMemoryBound(to: CChar.self)
        chunkSerial = 0
        guard xmlCtxtResetPush(parser, chars, Int32(head), nil, nil) == 0 else {
            xmlCtxtReset(parser)
            return Self.internalFailure("libxml2 could not reset its push parser")
        }
        ccx_set_options(parser, Self.options)
        parser.pointee.userData = me
        guard let plug = ccx_plug_validator(validator, parser) else {
            xmlCtxtReset(parser)
            return Self.internalFailure("libxml2 could not attach the schema validator")
        }
        // Fed in chunks so that a refusal stops the parser within one chunk. The stop cannot
        // happen inside the SAX callback that refuses: libxml2 2.9's xmlStopParser frees the
        // input while the schema validator, called right after, still reads attribute values
        // from it.
        var offset = head
        repeat {
            let length = Swift.min(Self.chunkSize, count - offset)
            let last = offset + length == count
            if chunkSerial > 0 { keepOpenTagPositions() }
            chunkSerial &+= 1
            xmlParseChunk(parser, chars + offset, Int32(length), last ? 1 : 0)
            offset += length
            if refusal != nil {
                xmlStopParser(parser)
                break
            }
        } while offset < count
        let validatorAgrees = xmlSchemaIsValid(validator) == 1
        xmlSchemaSAXUnplug(plug)

        let wellFormed = ccx_well_formed(parser) != 0
        // Frees the input stream and the parser's per-document state (a document too, were one
        // built: the SAX handlers build none).
        xmlCtxtReset(parser)
        return outcome(wellFormed: wellFormed, validatorAgrees: validatorAgrees)
    }

    private func outcome(wellFormed: Bool, validatorAgrees: Bool) -> DocumentError? {
        if let refusal {
            return DocumentError(kind: refusal, issues: policyIssues.take())
        }
        if !wellFormed || !syntaxIssues.isEmpty {
            let found = syntaxIssues.take()
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
            let found = schemaIssues.take()
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

    static func internalFailure(_ message: String) -> DocumentError {
        DocumentError(
            kind: .internalFailure,
            issues: [
                .init(line: 0, column: 0, element: nil, message: message, domain: .policy, code: 0)
            ])
    }
}
