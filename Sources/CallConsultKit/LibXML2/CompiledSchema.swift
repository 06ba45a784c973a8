import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A schema compiled once by libxml2 and shared read-only by every parse: one of the bundled
/// schemas, or one a user gave as bytes (``CommandSchema``).
///
/// libxml2 cannot resolve `<xs:include schemaLocation="error.xsd"/>` in a schema parsed from
/// memory without loading a file, and the only hook to redirect that load is process-wide. So
/// includes are resolved before libxml2's schema compiler sees the document: the included
/// schema's components are copied into the including schema's tree in place of the include.
/// Included documents come from ``BundledSchemas``; nothing is read from disk or the network.
/// A user's schema may include `error.xsd` only: any other include, and every import, redefine
/// or override, is refused before libxml2 compiles anything, and so is a DOCTYPE.
final class CompiledSchema: @unchecked Sendable {
    // Sendable: libxml2 documents a compiled schema as read-only during validation, and nothing
    // here mutates it after `compile()` returns. `document` stays alive because the compiled
    // schema's components point into it.
    let pointer: xmlSchemaPtr
    /// Which bundled schema this is; `nil` for a user's.
    let id: BundledSchema?
    private let document: xmlDocPtr

    private init(pointer: xmlSchemaPtr, document: xmlDocPtr, id: BundledSchema?) {
        self.pointer = pointer
        self.document = document
        self.id = id
    }

    deinit {
        xmlSchemaFree(pointer)
        xmlFreeDoc(document)
    }

    private static let xsdNamespace = "http://www.w3.org/2001/XMLSchema"

    /// Compiles `main` from `files`, resolving `xs:include` by file name among `files`.
    static func compile(
        _ files: [(name: String, text: StaticString)], main: String, as id: BundledSchema
    ) -> Result<CompiledSchema, DocumentError> {
        guard let mainText = files.first(where: { $0.name == main })?.text else {
            return .failure(failure(nil, "the bundled schema \(main) could not be read"))
        }
        let result = mainText.withUTF8Buffer { buffer in
            build(UnsafeRawBufferPointer(buffer), name: main, id: id, user: false) { location in
                files.first(where: { $0.name == location })?.text
            }
        }
        return result.mapError { DocumentError(kind: .internalFailure, issues: $0.issues) }
    }

    /// Compiles a user's schema: `xs:include schemaLocation="error.xsd"` is answered with the
    /// bundled `error.xsd`; nothing else may be included, imported, redefined or overridden.
    static func compileUser(_ bytes: UnsafeRawBufferPointer, name: String) -> Result<CompiledSchema, SchemaError> {
        build(bytes, name: name, id: nil, user: true) { location in
            location == "error.xsd" ? BundledSchemas.files.first(where: { $0.name == location })?.text : nil
        }
    }

    private static func failure(_ collector: SchemaErrorCollector?, _ message: String, line: Int = 0) -> DocumentError {
        let issues =
            collector.map(\.issues).flatMap { $0.isEmpty ? nil : $0 }
            ?? [DocumentError.Issue(line: line, column: 0, element: nil, message: message, domain: .schema, code: 0)]
        return DocumentError(kind: .internalFailure, issues: issues)
    }

    /// Parses, resolves the includes of, and compiles one schema document.
    private static func build(
        _ bytes: UnsafeRawBufferPointer, name: String, id: BundledSchema?, user: Bool,
        resolve: (String) -> StaticString?
    ) -> Result<CompiledSchema, SchemaError> {
        xmlInitParser()
        let collector = SchemaErrorCollector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        let saved = ccx_borrow_error_channels(schemaErrorHandler, context)
        defer { ccx_restore_error_channels(saved) }

        func refuse(_ kind: SchemaError.Kind, _ message: String, line: Int = 0) -> Result<CompiledSchema, SchemaError> {
            let issues =
                collector.issues.isEmpty || kind == .refusedReference || kind == .refusedByPolicy
                ? [DocumentError.Issue(line: line, column: 0, element: nil, message: message, domain: .policy, code: 0)]
                : collector.issues
            return .failure(SchemaError(kind: kind, issues: issues))
        }

        guard let document = parseSchemaDocument(bytes, name: name) else {
            return refuse(.notWellFormed, "the schema \(name) is not well-formed XML")
        }
        if user, document.pointee.intSubset != nil || document.pointee.extSubset != nil {
            xmlFreeDoc(document)
            return refuse(.refusedByPolicy, "a DOCTYPE declaration is refused in a schema", line: 1)
        }
        guard let root = xmlDocGetRootElement(document), string(root.pointee.name) == "schema",
            string(root.pointee.ns?.pointee.href) == xsdNamespace
        else {
            xmlFreeDoc(document)
            return refuse(.invalid, "the root element of \(name) is not xs:schema (\(xsdNamespace))")
        }
        if user, let (node, what) = forbiddenReference(in: root) {
            let location = attribute("schemaLocation", of: node).map { " of '\($0)'" } ?? ""
            let line = Int(xmlGetLineNo(node))
            xmlFreeDoc(document)
            return refuse(
                .refusedReference,
                "xs:\(what)\(location) is refused: a schema given as bytes may include error.xsd only, and nothing is read from disk or the network",
                line: line)
        }

        var resolved = 0
        var includedLocations: Set<String> = []
        while let include = firstInclude(in: document) {
            // Each resolution removes one include; a schema that includes itself in a cycle
            // would never run out of them.
            resolved += 1
            guard resolved <= 64 else {
                xmlFreeDoc(document)
                return refuse(.refusedReference, "xs:include nesting is deeper than 64")
            }
            let location = attribute("schemaLocation", of: include) ?? ""
            // A document included again adds nothing (as libxml2 itself treats a repeated include):
            // its components are already in the tree, and copying them twice would redefine them.
            guard includedLocations.insert(location).inserted else {
                xmlUnlinkNode(include)
                xmlFreeNode(include)
                continue
            }
            let line = Int(xmlGetLineNo(include))
            guard let text = resolve(location),
                let included = text.withUTF8Buffer({ parseSchemaDocument(UnsafeRawBufferPointer($0), name: location) })
            else {
                xmlFreeDoc(document)
                return refuse(
                    .refusedReference,
                    "xs:include of '\(location)' names no bundled schema" + (user ? " (only error.xsd may be included)" : ""),
                    line: line)
            }
            defer { xmlFreeDoc(included) }
            var child = xmlDocGetRootElement(included)?.pointee.children
            while let node = child {
                child = node.pointee.next
                guard let copy = xmlDocCopyNode(node, document, 1) else { continue }
                xmlAddPrevSibling(include, copy)
            }
            xmlUnlinkNode(include)
            xmlFreeNode(include)
        }
        xmlReconciliateNs(document, root)

        guard let parserContext = xmlSchemaNewDocParserCtxt(document) else {
            xmlFreeDoc(document)
            return refuse(.internalFailure, "libxml2 could not create a schema parser context")
        }
        xmlSchemaSetParserStructuredErrors(parserContext, schemaErrorHandler, context)
        let schema = xmlSchemaParse(parserContext)
        xmlSchemaFreeParserCtxt(parserContext)
        guard let schema, collector.issues.isEmpty || !user else {
            if let schema { xmlSchemaFree(schema) }
            xmlFreeDoc(document)
            return refuse(.invalid, "libxml2 could not compile the schema \(name)")
        }
        return .success(CompiledSchema(pointer: schema, document: document, id: id))
    }

    private static func parseSchemaDocument(_ bytes: UnsafeRawBufferPointer, name: String) -> xmlDocPtr? {
        guard let base = bytes.baseAddress, bytes.count <= Int(Int32.max) else { return nil }
        // No NOENT, DTDLOAD or DTDVALID: no external entity or DTD is ever loaded; NONET besides.
        return xmlReadMemory(
            base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), name, nil, Int32(XML_PARSE_NONET.rawValue))
    }

    /// The first `xs:include` element among the schema root's children.
    private static func firstInclude(in document: xmlDocPtr) -> xmlNodePtr? {
        var child = xmlDocGetRootElement(document)?.pointee.children
        while let node = child {
            if isSchemaElement(node, "include") { return node }
            child = node.pointee.next
        }
        return nil
    }

    /// The first reference to another document a user's schema may not make, anywhere in it:
    /// `xs:import`, `xs:redefine`, `xs:override`, or an `xs:include` of anything but a top-level
    /// `error.xsd`.
    private static func forbiddenReference(in root: xmlNodePtr) -> (xmlNodePtr, String)? {
        var stack: [(node: xmlNodePtr, topLevel: Bool)] = []
        var child = root.pointee.children
        while let node = child {
            stack.append((node, true))
            child = node.pointee.next
        }
        stack.reverse()
        while let (node, topLevel) = stack.popLast() {
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            for what in ["import", "redefine", "override"] where isSchemaElement(node, what) { return (node, what) }
            if isSchemaElement(node, "include"), !topLevel || attribute("schemaLocation", of: node) != "error.xsd" {
                return (node, "include")
            }
            var children: [(xmlNodePtr, Bool)] = []
            var next = node.pointee.children
            while let inner = next {
                children.append((inner, false))
                next = inner.pointee.next
            }
            stack.append(contentsOf: children.reversed())
        }
        return nil
    }

    private static func isSchemaElement(_ node: xmlNodePtr, _ name: String) -> Bool {
        node.pointee.type == XML_ELEMENT_NODE && string(node.pointee.name) == name
            && string(node.pointee.ns?.pointee.href) == xsdNamespace
    }

    private static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        var property = node.pointee.properties
        while let attribute = property {
            if attribute.pointee.ns == nil, string(attribute.pointee.name) == name {
                // A parsed attribute without entity references holds its value in one text child.
                return string(attribute.pointee.children?.pointee.content)
            }
            property = attribute.pointee.next
        }
        return nil
    }

    private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// Collects what libxml2 says while the bundled schema is compiled.
private final class SchemaErrorCollector {
    var issues: [DocumentError.Issue] = []
}

private let schemaErrorHandler: xmlStructuredErrorFunc = { context, error in
    guard let context, let error, error.pointee.level != XML_ERR_WARNING else { return }
    let collector = Unmanaged<SchemaErrorCollector>.fromOpaque(context).takeUnretainedValue()
    let message = error.pointee.message.map { String(libxml2Message: $0) } ?? "unknown error"
    collector.issues.append(
        DocumentError.Issue(
            line: Int(error.pointee.line), column: Int(error.pointee.int2), element: nil,
            message: message, domain: error.pointee.domain == Int32(XML_FROM_SCHEMASP.rawValue) ? .schema : .syntax,
            code: Int(error.pointee.code)))
}
