import CallConsultKit

// Decodes the request given as the first argument (or a built-in one) and prints its conversation.
let example = #"<in><request><call_consult conversation_id="c1" to_number="1001"/></request></in>"#
let body = CommandLine.arguments.dropFirst().first ?? example
do {
    let request = try CallConsultCodec().decodeRequest(Array(body.utf8))
    print("valid: \(request.conversationID)")
} catch {
    print("invalid: \(error.kind.code)")
}
