// The Swift blocks of the CallConsultKit DocC articles, exactly as shown there (ReadmeSnippetsTests
// checks it), compiled in a target that imports Foundation and CallConsultKit in one file, as a
// client service does: it proves the ICU/Foundation clash of Debian's libxml2 headers stays inside
// CallConsultKit. DocCExamplesTests runs them; `codec` is the README's (ReadmeCommandsSnippet.swift).

import CallConsultKit
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// CallConsultKit.md
/// A request POSTed to …/<command>, decoded whichever command the path names.
func decodeAny(path: String, body: [UInt8]) throws -> ECSSRequest? {
    guard let name = path.split(separator: "/").last.flatMap({ CommandName(rawValue: String($0)) }) else { return nil }
    return try codec.decodeRequest(body, command: name)  // DocumentError: which check refused it, where
}

// CommandFamily.md
/// One request of each command of the family, as its model.
let everyCommand: [any ECSSCommand] = [
    LoginRequest(clientID: "crm", apiKey: "k-123", phoneNumber: "1001"),
    CallConsultRequest(conversationID: "c-1", toNumber: "1001", operatorID: "42"),
    CallHoldRequest(conversationID: "c-1"),
    CallUnholdRequest(conversationID: "c-1", operatorID: "42"),
    CallUnattendedTransferRequest(originalConversationID: "c-1", toNumber: "1002", destinationConversationID: "c-2"),
    BlockOperatorRequest(agentID: "102"),
    UnblockOperatorRequest(agentID: "102"),
    AuxWorkRequest(reason: "lunch"),
    AddParticipantRequest(conferenceID: "conf-1", participants: [.init(number: "1002"), .init(conversationID: "c-7")]),
    RemoveParticipantRequest(conferenceID: "conf-1", participantID: "p-3"),
    MonitorRequest(start: [MonitorEvent(name: "conferences", entity: "operator-7")]),
]

// CommandFamily.md
/// Any command's request, encoded, then read back as the enum and as its model.
func roundTrip<Command: ECSSCommand>(_ command: Command) throws -> ECSSRequest {
    let body = try codec.encode(command)  // an <in> (a <monitor> for monitor), valid against its schema
    let request = try codec.decodeRequest(body, command: Command.name)  // what a server does with the path's name
    let model = try codec.decode(Command.self, from: body)  // the model itself
    precondition(model == command && Command(request) == command)
    return request
}

/// The answer to a command, as a server sends it: its status and its body.
func reply(_ response: CommandResponse, to command: CommandName) throws -> (status: Int, body: [UInt8]) {
    // <out xmlns:xs="…" xs:noNamespaceSchemaLocation="block_operator.xsd">…: each command names its own schema.
    (response.httpStatus(for: command), try codec.encode(response, command: command, declaringSchemaLocation: true))
}

// CommandFamily.md
/// What an operator's screen shows for a request, whichever command it is.
func summary(of request: ECSSRequest) -> String {
    switch request {
    case .callHold(let hold): "hold \(hold.conversationID)"
    case .addParticipant(let add): "add \(add.participants?.participants.count ?? 0) to \(add.participants?.conferenceID ?? "-")"
    case .monitor(let monitor): "watch \(monitor.eventNames.joined(separator: ", "))"
    default: "\(request.command)"
    }
}

// CommandFamily.md
/// A request of a command this package does not ship, validated against its schema.
func pickup(schema xsd: [UInt8], body: [UInt8]) throws -> MessageElement {
    let schema = try CommandSchema(name: "call_pickup", xsd: xsd)  // SchemaError; keep and share the value
    return try codec.decodeElement(body, as: .request, schema: schema)  // DocumentError, as for every command
}

// CommandFamily.md
/// A conference notification: which conference, and what happened to it.
func conferenceChange(_ body: [UInt8]) throws -> (conference: String?, kind: NotificationChange.Kind) {
    let event = try codec.decodeConferencesEvent(body)  // validated against conferences_event.xsd
    return (event.change.id, event.change.kind)
}

// ServerSide.md
/// Answers a POST to /<DOMAIN>/service/cc/arm/<command>, whichever command the path names.
func answer(path: String, body: Data, decide: (ECSSRequest) -> CommandResponse) -> (status: Int, type: String, body: [UInt8]) {
    guard let name = path.split(separator: "/").last, let command = CommandName(rawValue: String(name)) else {
        return (404, "text/plain; charset=utf-8", [])
    }
    let request: ECSSRequest
    do {
        request = try codec.decodeRequest(body, command: command)
    } catch {
        // `error` is a DocumentError: error.kind.code is e.g. "not_valid", and every issue has
        // a line, a column, the element concerned and libxml2's message.
        return (error.kind == .tooLarge ? 413 : 400, "text/plain; charset=utf-8", Array("\(error)\n".utf8))
    }
    let response = decide(request)
    guard command.hasResponseDocument else {  // monitor: a status, no <out>
        return (response == .ok ? 200 : 404, "text/plain; charset=utf-8", [])
    }
    do {
        // As the vendor's examples: <out xmlns:xs="…XMLSchema-instance" xs:noNamespaceSchemaLocation="call_hold.xsd">
        let out = try codec.encode(response, command: command, declaringSchemaLocation: true)
        return (response.httpStatus(for: command), CommandResponse.contentType, out)
    } catch {
        // Only a value holding a character XML 1.0 cannot carry (e.g. U+0000) gets here.
        return (500, "text/plain; charset=utf-8", Array("\(error)\n".utf8))
    }
}

// ClientSide.md
/// Sends any command, in a session that `cookie` (set by the login answer) names.
func post(_ command: some ECSSCommand, to host: URL, domain: String, cookie: String) async throws -> CommandResponse {
    let name = type(of: command).name  // e.g. call_hold: the path's last segment and the schema
    var http = URLRequest(url: host.appendingPathComponent("\(domain)/service/cc/arm/\(name)"))
    http.httpMethod = "POST"
    http.setValue(CommandResponse.contentType, forHTTPHeaderField: "Content-Type")
    http.setValue(cookie, forHTTPHeaderField: "Cookie")
    http.httpBody = Data(try codec.encode(command))
    let (data, _) = try await URLSession.shared.data(for: http)
    return try codec.decodeResponse(data, command: name)  // 200 and 403 both carry an <out> body
}

// LoginMessages.md
/// The login body a client sends, and what an endpoint makes of it.
func loginRoundTrip() throws -> LoginRequest {
    let login = LoginRequest(clientID: "crm", apiKey: "k-123", phoneNumber: "1001")
    let body = try codec.encode(login)  // <in><request client_id="crm" api_key="k-123" phone_number="1001"/></in>
    print(login)  // LoginRequest(clientID: "crm", apiKey: ***, phoneNumber: "1001")
    _ = codec.encode(LoginResponse.ok, declaringSchemaLocation: true)  // the 200 answer's body
    return try codec.decodeLoginRequest(body)  // validated against login.xsd
}

// WebSocketForm.md
/// A request body of `command` in the websocket JSON form, and back.
func websocketForms(of body: [UInt8], command: CommandName) throws -> [UInt8] {
    let json = try codec.jsonForm(ofXML: body, as: .request, command: command)
    // [{"_name": "in", "_content": [{"_name": "request", "_content": [{"_name": "call_hold", "_attributes": {…}}]}]}]
    let tree = try codec.decodeElement(body, as: .request, command: command)  // the tree itself
    let text = tree.jsonForm()  // the vendor's key order and spacing
    let back = try MessageElement(jsonForm: text)  // typed JSONFormError on bad input
    precondition(back == tree)
    return try codec.xml(fromJSONForm: json, as: .request, command: command)  // a valid document, or an error
}

// Safety.md
let strict = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 4096, maxDepth: 8, maxAttributesPerElement: 8))
