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
        let long = String(repeating: "ж0123456789", count: 300)  // 3 600 bytes: the store grows twice
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

    func testRemoveAllEmptiesTheStoreForTheNextDocument() {
        let store = ValueStore()
        _ = keep(String(repeating: "a", count: 10 * ValueStore.keptCapacity), in: store)
        store.removeAll()
        XCTAssertEqual(store.count, 0)
        var value = keep("next", in: store)
        XCTAssertEqual(value.take(), "next")
    }

    /// Through the codec: long values, a refused document's values never reaching the next one,
    /// and a short document after a long one, on one thread's engine.
    func testDecodingLongValuesThenShortOnesOnOneEngine() throws {
        let codec = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 1 << 20))
        let long = String(repeating: "0647e098a4b48b05", count: 4_000)  // 64 000 bytes
        let number = String(repeating: "7", count: 40)
        XCTAssertEqual(
            try codec.decodeRequest(
                Array(requestXML(#"conversation_id="\#(long)" to_number="\#(number)" operator_id="42""#).utf8)),
            CallConsultRequest(conversationID: long, toNumber: number, operatorID: "42"))
        XCTAssertThrowsError(try codec.decodeRequest(Array(requestXML(#"conversation_id="refused" mode="x""#).utf8)))
        XCTAssertEqual(
            try codec.decodeRequest(Array(requestXML(#"to_number="1001" conversation_id="c-2""#).utf8)),
            CallConsultRequest(conversationID: "c-2", toNumber: "1001"))
    }
}
