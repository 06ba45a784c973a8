// The Swift blocks of README.md (those shown in a DocC article too are in DocCSnippets.swift), exactly as shown there (ReadmeSnippetsTests checks it), compiled
// in a target that imports Foundation and CallConsultKit in one file, as a client service does: it
// proves the ICU/Foundation clash of Debian's libxml2 headers stays inside CallConsultKit.

import CallConsultKit
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let codec = CallConsultCodec()

/// Answers a POST to /<DOMAIN>/service/cc/arm/call_consult.
func answer(body: Data, connect: (CallConsultRequest) -> Bool) -> (status: Int, contentType: String, body: [UInt8]) {
    let request: CallConsultRequest
    do {
        request = try codec.decodeRequest(body)
    } catch {
        // `error` is a DocumentError: error.kind.code is e.g. "not_valid", and every issue has
        // a line, a column, the element concerned and libxml2's message.
        return (error.kind == .tooLarge ? 413 : 400, "text/plain; charset=utf-8", Array("\(error)\n".utf8))
    }
    let response: CommandResponse =
        connect(request)
        ? .ok
        : .error(ErrorReply(reason: ErrorReply.cannotPerformCommand, command: "call_consult", body: "operator busy"))
    do {
        // As the vendor's examples: <out xmlns:xs="…XMLSchema-instance" xs:noNamespaceSchemaLocation="call_consult.xsd">
        return (response.httpStatus, CommandResponse.contentType, try codec.encode(response, declaringSchemaLocation: true))
    } catch {
        // Only a value holding a character XML 1.0 cannot carry (e.g. U+0000) gets here.
        return (500, "text/plain; charset=utf-8", Array("\(error)\n".utf8))
    }
}

/// Asks ECSS-10 to connect operator 42 to a conversation in consultation mode, in a session that
/// `cookie` (set by the login answer) names.
func consult(host: URL, domain: String, cookie: String) async throws -> CommandResponse {
    let request = CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42")
    var http = URLRequest(url: host.appendingPathComponent("\(domain)/service/cc/arm/call_consult"))
    http.httpMethod = "POST"
    http.setValue(CommandResponse.contentType, forHTTPHeaderField: "Content-Type")
    http.setValue(cookie, forHTTPHeaderField: "Cookie")
    http.httpBody = Data(try codec.encode(request))
    let (data, _) = try await URLSession.shared.data(for: http)
    return try codec.decodeResponse(data)  // 200 and 403 both carry an <out> body
}

/// A request body in the websocket JSON form, and back.
func websocketForms(of body: [UInt8]) throws -> [UInt8] {
    let json = try codec.jsonForm(ofXML: body, as: .request)
    // [{"_name": "in", "_content": [{"_name": "request", "_content": [{"_name": "call_consult", "_attributes": {…}}]}]}]
    let tree = try codec.decodeElement(body, as: .request)  // the tree itself
    let text = tree.jsonForm()  // the vendor's key order and spacing
    let back = try MessageElement(jsonForm: text)  // typed JSONFormError on bad input
    precondition(back == tree)
    return try codec.xml(fromJSONForm: json, as: .request)  // a valid <in> document, or an error
}
