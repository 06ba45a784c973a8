import XCTest

@testable import CallConsultKit

/// Captures take their message from events fed by hand: no libxml2, no document.
final class MessageCaptureTests: XCTestCase {
    /// The store captures keep values in, as the engine's is: alive for the whole test.
    private let values = ValueStore()

    /// Runs `body` with a start tag for `name` at `depth` with `attributes` (no namespaces).
    private func withTag(
        _ name: String, depth: Int, attributes: [(String, String)], _ body: (StartTag) -> Void
    ) {
        // Every string NUL-terminated and alive for the length of the call, as libxml2's are.
        var storage: [UnsafeMutablePointer<UInt8>] = []
        func bytes(_ text: String) -> UnsafeMutablePointer<UInt8> {
            let utf8 = Array(text.utf8)
            let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: utf8.count + 1)
            pointer.initialize(from: utf8, count: utf8.count)
            pointer[utf8.count] = 0
            storage.append(pointer)
            return pointer
        }
        defer { for pointer in storage { pointer.deallocate() } }
        var entries: [UnsafePointer<UInt8>?] = []
        for (attribute, value) in attributes {
            let start = bytes(value)
            entries += [UnsafePointer(bytes(attribute)), nil, nil, UnsafePointer(start), UnsafePointer(start + value.utf8.count)]
        }
        let local = bytes(name)
        entries.withUnsafeBufferPointer { array in
            body(
                StartTag(
                    depth: depth, localName: XMLName(pointer: local), prefix: nil, namespaceURI: nil, namespaceCount: 0,
                    namespaces: nil, attributeCount: attributes.count, attributes: array.baseAddress,
                    values: Unmanaged.passUnretained(values)))
        }
    }

    func testRequestCaptureTakesTheCommandsAttributesAtDepthThree() {
        var capture = CallConsultRequestCapture()
        withTag("in", depth: 1, attributes: []) { capture.start($0) }
        withTag("request", depth: 2, attributes: [("conversation_id", "wrong depth")]) { capture.start($0) }
        withTag("call_consult", depth: 3, attributes: [("to_number", "1001"), ("conversation_id", "c-1"), ("x", "y")]) {
            capture.start($0)
        }
        XCTAssertEqual(capture.take(), CallConsultRequest(conversationID: "c-1", toNumber: "1001"))
        XCTAssertNil(capture.take(), "taken once: the values were moved out")
    }

    func testResponseAndLoginCaptures() {
        var response = CommandResponseCapture()
        withTag("out", depth: 1, attributes: []) { response.start($0) }
        withTag("error", depth: 2, attributes: [("reason", "r"), ("body", "timeout"), ("extra", "skipped")]) {
            response.start($0)
        }
        XCTAssertEqual(response.take(), .error(ErrorReply(reason: "r", body: "timeout")))

        var login = LoginRequestCapture()
        withTag("request", depth: 2, attributes: [("client_id", "c"), ("api_key", "k"), ("phone_number", "1")]) {
            login.start($0)
        }
        XCTAssertEqual(login.take(), LoginRequest(clientID: "c", apiKey: "k", phoneNumber: "1"))

        var missing = LoginRequestCapture()
        withTag("request", depth: 2, attributes: [("client_id", "c")]) { missing.start($0) }
        XCTAssertNil(missing.take())
    }

    func testTreeCaptureJoinsTextAndDropsWhiteSpaceBetweenElements() {
        var tree = TreeCapture()
        withTag("out", depth: 1, attributes: []) { tree.start($0) }
        Array("\n  ".utf8).withUnsafeBufferPointer { tree.text($0) }
        withTag("response", depth: 2, attributes: []) { tree.start($0) }
        Array("a".utf8).withUnsafeBufferPointer { tree.text($0) }
        Array("b".utf8).withUnsafeBufferPointer { tree.text($0) }
        tree.end()
        tree.end()
        XCTAssertEqual(
            tree.take(),
            MessageElement(name: "out", content: [.element(MessageElement(name: "response", content: [.text("ab")]))]))
    }
}
