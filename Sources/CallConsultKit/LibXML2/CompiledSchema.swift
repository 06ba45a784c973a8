import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bundled schema, compiled once by libxml2 and shared read-only by every parse.
///
/// libxml2 cannot resolve `<xs:include schemaLocation="error.xsd"/>` in a schema parsed from
/// memory without loading a file, and the only hook to redirect that load is process-wide. So
/// the include is resolved before libxml2's schema compiler sees the document: the included
/// schema's components are copied into the including schema's tree in place of the include.
/// Both documents come from ``BundledSchemas``; nothing is read from disk or the network.
final class CompiledSchema: @unchecked Sendable {
    // Sendable: libxml2 documents a compiled schema as read-only during validation, and nothing
    // here mutates it after `compile()` returns. `document` stays alive because the compiled
    // schema's components point into it.
    let pointer: xmlSchemaPtr
    /// Which bundled schema this is.
    let id: BundledSchema
    private let document: xmlDocPtr

    private init(pointer: xmlSchemaPtr, document: xmlDocPtr, id: BundledSchema) {
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
        xmlInitParser()
        let collector = SchemaErrorCollector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        let saved = ccx_borrow_error_channels(schemaErrorHandler, context)
        defer { ccx_restore_error_channels(saved) }

        func failure(_ message: String) -> Result<CompiledSchema, DocumentError> {
            let issues =
                collector.issues.isEmpty
                ? [DocumentError.Issue(line: 0, column: 0, element: nil, message: message, domain: .schema, code: 0)]
                : collector.issues
            return .failure(DocumentError(kind: .internalFailure, issues: issues))
        }

        guard let mainText = files.first(where: { $0.name == main })?.text,
            let document = parseSchemaDocument(mainText, name: main)
        else { return failure("the bundled schema \(main) could not be read") }

        var resolved = 0
        while let include = firstInclude(in: document) {
            // Each resolution removes one include; a schema that includes itself in a cycle
            // would never run out of them.
            resolved += 1
            guard resolved <= 64 else {
                xmlFreeDoc(document)
                return failure("xs:include nesting in the bundled schemas is deeper than 64")
            }
            let location = attribute("schemaLocation", of: include) ?? ""
            guard let text = files.first(where: { $0.name == location })?.text,
                let included = parseSchemaDocument(text, name: location)
            else {
                xmlFreeDoc(document)
                return failure("xs:include of '\(location)' names no bundled schema")
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
        if let root = xmlDocGetRootElement(document) {
            xmlReconciliateNs(document, root)
        }

        guard let parserContext = xmlSchemaNewDocParserCtxt(document) else {
            xmlFreeDoc(document)
            return failure("libxml2 could not create a schema parser context")
        }
        xmlSchemaSetParserStructuredErrors(parserContext, schemaErrorHandler, context)
        let schema = xmlSchemaParse(parserContext)
        xmlSchemaFreeParserCtxt(parserContext)
        guard let schema else {
            xmlFreeDoc(document)
            return failure("libxml2 could not compile the bundled schema")
        }
        return .success(CompiledSchema(pointer: schema, document: document, id: id))
    }

    private static func parseSchemaDocument(_ text: StaticString, name: String) -> xmlDocPtr? {
        text.withUTF8Buffer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReadMemory(chars.baseAddress, Int32(chars.count), name, nil, Int32(XML_PARSE_NONET.rawValue))
            }
        }
    }

    /// The first `xs:include` element among the schema root's children.
    private static func firstInclude(in document: xmlDocPtr) -> xmlNodePtr? {
        var child = xmlDocGetRootElement(document)?.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE,
                string(node.pointee.name) == "include",
                string(node.pointee.ns?.pointee.href) == xsdNamespace
            {
                return node
            }
            child = node.pointee.next
        }
        return nil
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
            message: message, domain: .schema, code: Int(error.pointee.code)))
}

extension String {
    /// libxml2's message on one line: without the line break (and any other trailing ASCII white
    /// space) it ends with, and with each line break inside it (some messages have two lines, e.g.
    /// `…indicate encoding !` and `Bytes: 0xF0 …`) and the white space around it made one space.
    /// Works on the bytes: messages are UTF-8 and the hot error path should not pay for Unicode
    /// character classification.
    init(libxml2Message message: UnsafePointer<CChar>) {
        let line = Self.libxml2MessageLine(message)
        self = message.withMemoryRebound(to: UInt8.self, capacity: line.length) { bytes in
            let text = UnsafeBufferPointer(start: bytes, count: line.length)
            return line.isOneLine
                ? String(decoding: text, as: UTF8.self) : String(decoding: Self.joiningLines(text), as: UTF8.self)
        }
    }

    /// How many bytes of `message` are left without the trailing white space, and whether the
    /// message is one line once that is gone. One scan for the first line break; libxml2 ends
    /// every message with one.
    private static func libxml2MessageLine(_ message: UnsafePointer<CChar>) -> (length: Int, isOneLine: Bool) {
        var length = strcspn(message, "\r\n")
        var rest = message + length
        while rest.pointee == 0x20 || rest.pointee == 0x0A || rest.pointee == 0x0D || rest.pointee == 0x09 { rest += 1 }
        let oneLine = rest.pointee == 0
        if !oneLine { length = strlen(message) }
        trim: while length > 0 {
            switch message[length - 1] {
            case 0x20, 0x0A, 0x0D, 0x09: length -= 1
            default: break trim
            }
        }
        return (length, oneLine)
    }

    /// `bytes` with each line break, and the spaces and tabs around it, made one space.
    private static func joiningLines(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var joined: [UInt8] = []
        joined.reserveCapacity(bytes.count)
        var pendingBreak = false
        for byte in bytes {
            switch byte {
            case 0x0A, 0x0D:
                while let last = joined.last, last == 0x20 || last == 0x09 { joined.removeLast() }
                pendingBreak = true
            case 0x20 where pendingBreak, 0x09 where pendingBreak:
                continue
            default:
                if pendingBreak {
                    if !joined.isEmpty { joined.append(0x20) }
                    pendingBreak = false
                }
                joined.append(byte)
            }
        }
        return joined
    }
}
