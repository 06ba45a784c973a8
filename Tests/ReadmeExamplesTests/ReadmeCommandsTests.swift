import CallConsultEmulator
import CallConsultKit
import XCTest

/// The README's snippet of "The commands": the call_hold body, its answers, and the decision.
final class ReadmeCommandsTests: XCTestCase {
    func testTheHoldRequestIsTheSchemasDocument() throws {
        let body = try holdRequest("0647e098a4b48b05")
        XCTAssertTrue(
            String(decoding: body, as: UTF8.self)
                .hasSuffix(#"<in><request><call_hold conversation_id="0647e098a4b48b05"/></request></in>"# + "\n"))
        XCTAssertEqual(try codec.decode(CallHoldRequest.self, from: body), CallHoldRequest(conversationID: "0647e098a4b48b05"))
    }

    func testTheHoldAnswerIsReadFromTheBody() throws {
        let refused = ErrorReply(reason: "cannot_perform_cmd", command: "call_hold")
        XCTAssertEqual(try holdAnswer(codec.encode(.ok, command: .callHold)), .ok)
        XCTAssertEqual(
            try holdAnswer(codec.encode(.error(refused), command: .callHold, declaringSchemaLocation: true)), .error(refused))
        XCTAssertThrowsError(try holdAnswer(Array("<out/>".utf8)))
    }

    func testTheDecisionSwitchesOverEveryCommand() async {
        let hold = await decision(.callHold(CallHoldRequest(conversationID: "ended")), "example.domain")
        XCTAssertEqual(hold, .error(ErrorReply(reason: "cannot_perform_cmd", command: "call_hold")))
        XCTAssertEqual(hold.httpStatus(for: .callHold), 403)
        let block = await decision(.blockOperator(BlockOperatorRequest(agentID: "7")), "example.domain")
        XCTAssertEqual(block.httpStatus(for: .blockOperator), 200)
        XCTAssertNotEqual(block, .ok)
        let other = await decision(.auxWork(AuxWorkRequest(reason: "lunch")), "example.domain")
        XCTAssertEqual(other, .ok)
    }
}
