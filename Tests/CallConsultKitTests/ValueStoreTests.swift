import XCTest

@testable import CallConsultKit

/// Attribute values kept as bytes in the engine's store until a valid document's capture takes them.
final class ValueStoreTests: XCTestCase {
    private func keep(_ text: String, in store: ValueStore) -> PendingValue {
        var value = PendingValue()
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            value.keep(UnsafeBufferPointer(buffer), in: Unmanaged.passUnretained(store))
            // The parser's bytes are gone after the event: the store must hold a copy.
            buffer.update(repeating: UInt8(ascii: "x"))
        }
        return value
    }

    func testValuesSurviveTheStoreGrowingAndAreTakenOnce() {
        let store = ValueStore()
        var first = keep("c-1", in: store)
        let long = String(repeating: "ж0123456789", count: 300)  // 3 603 bytes: 1 024 → 4 096
        var second = keep(long, in: store)
        var third = keep("", in: store)
        var none = PendingValue()
        XCTAssertEqual(store.count, 3 + long.utf8.count)
        XCTAssertEqual(first.take(), "c-1")
        XCTAssertEqual(second.take(), long)
        XCTAssertEqual(third.take(), "", "an empty value is a value")
        XCTAssertNil(none.take())
        XCTAssertNil(first.take(), "taken once")
    }

    func testAValueKeptAgainReplacesTheFirst() {
        let store = ValueStore()
        var value = keep("first", in: store)
        var bytes = Array("second".utf8)
        bytes.withUnsafeMutableBufferPointer { value.keep(UnsafeBufferPointer($0), in: Unmanaged.passUnretained(store)) }
        XCTAssertEqual(value.take(), "second")
    }

    func testRemoveAllEmptiesTheStoreAndGivesBackTheRoom() {
        let store = ValueStore()
        _ = keep(String(repeating: "a", count: 10 * ValueStore.keptCapacity), in: store)
        XCTAssertEqual(store.capacity, 16 * ValueStore.keptCapacity)
        store.removeAll()
        XCTAssertEqual(store.count, 0)
        XCTAssertEqual(store.capacity, ValueStore.keptCapacity)
        var value = keep("next", in: store)
        XCTAssertEqual(value.take(), "next")
    }

    func testAValueKeptBeforeTheStoreWasEmptiedIsNotRead() {
        let store = ValueStore()
        var stale = keep("first-conv", in: store)
        store.removeAll()
        var fresh = keep("SECOND", in: store)
        XCTAssertNil(stale.take(), "its bytes are another value's now")
        XCTAssertEqual(fresh.take(), "SECOND")
    }

    // MARK: Through the engine

    private func parse<Capture: MessageCapture>(
        _ engine: ParseEngine, _ bytes: [UInt8], into capture: inout Capture, root: DocumentRoot = .request,
        schema: SchemaChoice = .bundled(.callConsult)
    ) -> DocumentError? {
        bytes.withUnsafeBytes {
            engine.parse($0, schema: schema, root: root, limits: DecodingLimits(maxBodyBytes: 1 << 20), into: &capture)
        }
    }

    func testACaptureTakenAfterTheEnginesNextParseGivesNothing() throws {
        let engine = try XCTUnwrap(ParseEngine())
        var first = CallConsultRequestCapture()
        XCTAssertNil(parse(engine, Array(requestXML(#"conversation_id="first-conv" to_number="1001""#).utf8), into: &first))
        var second = CallConsultRequestCapture()
        XCTAssertNil(parse(engine, Array(requestXML(#"conversation_id="SECOND" to_number="2002""#).utf8), into: &second))
        XCTAssertNil(first.take(), "not the second document's values")
        XCTAssertEqual(second.take(), CallConsultRequest(conversationID: "SECOND", toNumber: "2002"))
    }

    func testALoginRequestLeavesNothingInTheStore() throws {
        let engine = try XCTUnwrap(ParseEngine())
        var capture = LoginRequestCapture()
        let body = Array(#"<in><request client_id="c" api_key="SECRET-KEY" phone_number="1"/></in>"#.utf8)
        XCTAssertNil(parse(engine, body, into: &capture, schema: .bundled(.login)))
        XCTAssertEqual(engine.values.count, 0, "the API key never goes into the reused store")
        XCTAssertEqual(capture.take()?.apiKey, "SECRET-KEY")
    }

    func testAnErrorAnswersLongLatin1ValueGrowsTheStore() throws {
        let engine = try XCTUnwrap(ParseEngine())
        let value = String(repeating: "é", count: 2_048)  // 4 096 bytes once in UTF-8
        let body = Body.latin1(
            #"<?xml version="1.0" encoding="ISO-8859-1"?><out><error reason="r" cmd="call_consult" body=""#
                + value + #""/></out>"#)
        var capture = CommandResponseCapture()
        XCTAssertNil(parse(engine, body, into: &capture, root: .response))
        XCTAssertGreaterThan(engine.values.capacity, ValueStore.keptCapacity)
        XCTAssertEqual(capture.take(), .error(ErrorReply(reason: "r", command: "call_consult", body: value)))
    }

    /// Through the codec: long values, a refused document's values never reaching the next one,
    /// and a short document after a long one, on one thread's engine.
    func testDecodingLongValuesThenShortOnesOnOneEngine() throws {
        // Each decode empties its thread's store when it ends.
        let codec = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 1 << 20))
        let long = String(repeating: "0647e098a4b48b05", count: 4_000)  // 64 000 bytes
        let number = String(repeating: "7", count: 40)
        XCTAssertEqual(
            try codec.decodeRequest(
                Array(requestXML(#"conversation_id="\#(long)" to_number="\#(number)" operator_id="42""#).utf8)),
            CallConsultRequest(conversationID: long, toNumber: number, operatorID: "42"))
        // The thread's engine holds none of it, nor the room it took.
        let pool = try EnginePool.shared.get()
        XCTAssertEqual(pool.withEngine { $0.values.count }, 0)
        XCTAssertEqual(pool.withEngine { $0.values.capacity }, ValueStore.keptCapacity)
        XCTAssertThrowsError(try codec.decodeRequest(Array(requestXML(#"conversation_id="refused" mode="x""#).utf8)))
        XCTAssertEqual(
            try codec.decodeRequest(Array(requestXML(#"to_number="1001" conversation_id="c-2""#).utf8)),
            CallConsultRequest(conversationID: "c-2", toNumber: "1001"))
    }
}
