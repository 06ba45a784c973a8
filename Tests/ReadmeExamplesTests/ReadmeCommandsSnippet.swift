// The Swift block of README.md's section "The commands", exactly as shown there (ReadmeSnippetsTests
// checks it); ReadmeCommandsTests runs it. Its `codec` is the one every snippet of this target uses.

import CallConsultEmulator
import CallConsultKit

let codec = CallConsultCodec()

/// The body to POST to …/call_hold: <in><request><call_hold conversation_id="…"/></request></in>.
func holdRequest(_ conversationID: String) throws -> [UInt8] {
    try codec.encode(CallHoldRequest(conversationID: conversationID))
}

/// call_hold's answer, with 200 or 403: its <out> says ok or why not.
func holdAnswer(_ body: [UInt8]) throws -> CommandResponse {
    try codec.decodeResponse(body, command: .callHold)
}

/// An emulator's decision: one switch over every command's request.
let decision: ECSSEmulator.CommandDecision = { request, _ in
    switch request {
    case .callHold(let hold) where hold.conversationID == "ended":
        return .error(ErrorReply(reason: ErrorReply.cannotPerformCommand, command: "call_hold"))  // answered 403
    case .blockOperator(let block) where block.agentID == "7":
        return .error(ErrorReply(reason: ErrorReply.cannotPerformCommand, command: "block_operator"))  // answered 200
    default:
        return .ok
    }
}
