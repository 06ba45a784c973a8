import CLibXML2
import CallConsultKit
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

/// After heavy use, libxml2's process-wide and per-thread state is as it was, and other users of
/// libxml2 in the process (FoundationXML among them) work as before.
final class ProcessHygieneTests: XCTestCase {
    private struct Channels: Equatable {
        let structured: UnsafeRawPointer?
        let structuredContext: UnsafeMutableRawPointer?
        let generic: UnsafeRawPointer?
        let genericContext: UnsafeMutableRawPointer?

        static var current: Channels {
            let channels = ccx_current_error_channels()
            return Channels(
                structured: channels.structured.map { unsafeBitCast($0, to: UnsafeRawPointer.self) },
                structuredContext: channels.structuredContext,
                generic: channels.generic.map { unsafeBitCast($0, to: UnsafeRawPointer.self) },
                genericContext: channels.genericContext)
        }
    }

    private static var entityLoader: UnsafeRawPointer? {
        xmlGetExternalEntityLoader().map { unsafeBitCast($0, to: UnsafeRawPointer.self) }
    }

    private func heavyUse() {
        for _ in 0..<50 {
            for body in HostileInputTests.hostileBodies + ConcurrencyTests.corpus {
                _ = decodeRequest(body)
                _ = decodeResponse(body)
            }
        }
    }

    func testErrorChannelsAndEntityLoaderAreUnchanged() async {
        let before = Channels.current
        let loader = Self.entityLoader
        heavyUse()
        XCTAssertEqual(Channels.current, before, "this thread's libxml2 error channels changed")
        XCTAssertEqual(Self.entityLoader, loader, "the external entity loader changed")
        // The same on the threads of the concurrency pool.
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let before = Channels.current
                    for body in HostileInputTests.hostileBodies { _ = decodeRequest(body) }
                    return Channels.current == before
                }
            }
            for await unchanged in group { XCTAssertTrue(unchanged) }
        }
    }

    func testCallersOwnStructuredHandlerStaysInstalledAndSeesOnlyItsErrors() {
        final class Seen: @unchecked Sendable { var messages: [String] = [] }
        let seen = Seen()
        let handler: xmlStructuredErrorFunc = { context, error in
            guard let context, let error else { return }
            let seen = Unmanaged<Seen>.fromOpaque(context).takeUnretainedValue()
            seen.messages.append(error.pointee.message.map { String(cString: $0) } ?? "")
        }
        let context = Unmanaged.passUnretained(seen).toOpaque()
        xmlSetStructuredErrorFunc(context, handler)
        defer { xmlSetStructuredErrorFunc(nil, nil) }

        heavyUse()
        XCTAssertEqual(seen.messages, [], "the caller's handler received CallConsultKit's errors")

        let document = xmlReadMemory("<a>", 3, nil, nil, 0)
        XCTAssertNil(document)
        XCTAssertFalse(seen.messages.isEmpty, "the caller's handler is no longer installed")
    }

    func testStandardErrorCaptureWorks() {
        // Proves the capture that testLibraryPrintsNothing relies on: libxml2 left to its default
        // channels does print.
        let printed = capturingStandardError {
            _ = xmlReadMemory("<a>", 3, "probe.xml", nil, 0)
        }
        XCTAssertTrue(printed.contains("probe.xml"), printed)
    }

    func testFoundationXMLStillParsesAndReportsErrors() throws {
        // FoundationXML on Linux reports parse errors through libxml2's default channel, standard
        // error (and recovers the document). It must keep doing so after CallConsultKit's use: a
        // handler left installed would swallow them.
        let broken = "<in><unclosed></in>"
        let before = try capturingStandardError { _ = try XMLDocument(xmlString: broken, options: []) }
        heavyUse()
        let after = try capturingStandardError { _ = try XMLDocument(xmlString: broken, options: []) }
        XCTAssertTrue(before.contains("Opening and ending tag mismatch"), before)
        XCTAssertEqual(after, before)

        let document = try XMLDocument(
            xmlString: #"<in><request><call_consult conversation_id="c" to_number="1"/></request></in>"#, options: [])
        XCTAssertEqual(document.rootElement()?.name, "in")
        XCTAssertEqual(
            try XMLProcessorOracle.attributes(of: "call_consult", in: Array(document.xmlData)),
            ["conversation_id": "c", "to_number": "1"])
        // And the other way round: CallConsultKit still works after FoundationXML's use.
        XCTAssertEqual(try decodeRequest(Array(document.xmlData)).get(), CallConsultRequest(conversationID: "c", toNumber: "1"))
    }
}
