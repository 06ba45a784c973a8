// A libFuzzer target over every decoder: call_consult's, login's, every command's (the first
// byte picks the command), the websocket JSON form, the notifications and CommandSchema. Scripts/fuzz.sh builds it with -sanitize=fuzzer and
// CALLCONSULT_FUZZING defined; in an ordinary build it is a replay tool:
// `callconsult-fuzz FILE_OR_FOLDER…` runs every file through the same checks.
import CallConsultKit
import FuzzDriver

private let codec = CallConsultCodec()

/// Fails loudly when an invariant breaks: that is what the fuzzer looks for.
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fatalError("invariant broken: \(message())")
    }
}

/// Checks what decoding `body` says, both as a request and as a response.
func fuzzOne(_ body: UnsafeBufferPointer<UInt8>) {
    do {
        let request = try codec.decodeRequest(body)
        // Whatever decodes must encode, and decode back to itself.
        do {
            let again = try codec.decodeRequest(codec.encode(request))
            check(again == request, "request round trip: \(request) became \(again)")
        } catch {
            check(false, "a decoded request does not re-encode: \(request): \(error)")
        }
    } catch {
        check(error.kind != .internalFailure, "internal failure: \(error)")
        check(!error.issues.isEmpty, "an error without issues")
    }
    do {
        let response = try codec.decodeResponse(body)
        do {
            let again = try codec.decodeResponse(codec.encode(response))
            check(again == response, "response round trip: \(response) became \(again)")
        } catch {
            check(false, "a decoded response does not re-encode: \(response): \(error)")
        }
    } catch {
        check(error.kind != .internalFailure, "internal failure: \(error)")
        check(!error.issues.isEmpty, "an error without issues")
    }
}

/// Checks what decoding `body` says as a login request and as a login answer.
func fuzzLogin(_ body: UnsafeBufferPointer<UInt8>) {
    do {
        let login = try codec.decodeLoginRequest(body)
        check(login.description.contains(", apiKey: ***, "), "the description shows the key")
        do {
            let again = try codec.decodeLoginRequest(codec.encode(login))
            check(again == login, "login round trip changed the request")
        } catch {
            check(false, "a decoded login does not re-encode: \(error)")
        }
    } catch {
        check(error.kind != .internalFailure, "internal failure: \(error)")
        check(!error.issues.isEmpty, "an error without issues")
    }
    do {
        let answer = try codec.decodeLoginResponse(body)
        check((try? codec.decodeLoginResponse(codec.encode(answer))) == answer, "login answer round trip")
    } catch {
        check(error.kind != .internalFailure, "internal failure: \(error)")
        check(!error.issues.isEmpty, "an error without issues")
    }
}

/// Checks the websocket JSON form: whatever reads as the form writes back to an equal element,
/// and every valid message survives XML → JSON → XML.
func fuzzJSONForm(_ body: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: body, as: UTF8.self)
    if let element = try? MessageElement(jsonForm: text) {
        let again = try? MessageElement(jsonForm: element.jsonForm())
        check(again == element, "JSON form round trip: \(element) became \(String(describing: again))")
    }
    for kind in [MessageKind.request, .response] {
        guard let element = try? codec.decodeElement(body, as: kind) else { continue }
        do {
            let xml = try codec.xml(fromJSONForm: element.jsonForm(), as: kind)
            check(try codec.decodeElement(xml, as: kind) == element, "XML → JSON → XML changed \(element)")
        } catch {
            check(false, "a valid message does not survive its JSON form: \(element): \(error)")
        }
    }
}

/// A decode's error must be typed and say what it found.
private func checkRefusal(_ error: DocumentError, _ what: @autoclosure () -> String) {
    check(error.kind != .internalFailure, "internal failure (\(what())): \(error)")
    check(!error.issues.isEmpty, "an error without issues (\(what()))")
}

/// `decode(_:from:)` for the model type of `model`.
private func decodeTyped<Command: ECSSCommand>(like model: Command, _ body: UnsafeBufferPointer<UInt8>) throws(DocumentError)
    -> Command
{
    try codec.decode(Command.self, from: body)
}

/// Checks one command's decoders on the bytes after the first, which picks the command: its
/// request, its answer, both as trees through the JSON form, and the two notifications.
func fuzzCommands(_ input: UnsafeBufferPointer<UInt8>) {
    guard let first = input.first else { return }
    let command = CommandName.allCases[Int(first) % CommandName.allCases.count]
    let body = UnsafeBufferPointer(rebasing: input.dropFirst())
    do {
        let request = try codec.decodeRequest(body, command: command)
        check(request.command == command, "\(command) decoded a \(request.command) request")
        check(ECSSRequest(request.model) == request, "the model of \(request) wraps differently")
        do {
            check(try decodeTyped(like: request.model, body).request == request, "decode(_:from:) differs for \(request)")
            let again = try codec.decodeRequest(codec.encode(request), command: command)
            check(again == request, "\(command) request round trip: \(request) became \(again)")
        } catch {
            check(false, "a decoded \(command) request does not re-encode or decode typed: \(request): \(error)")
        }
    } catch {
        checkRefusal(error, "\(command) request")
    }
    do {
        let response = try codec.decodeResponse(body, command: command)
        check(command.hasResponseDocument, "monitor decoded an answer: \(response)")
        check(command != .login || response == .ok, "login decoded an error answer")
        for declaring in [false, true] {
            do {
                let again = try codec.decodeResponse(
                    codec.encode(response, command: command, declaringSchemaLocation: declaring), command: command)
                check(again == response, "\(command) answer round trip: \(response) became \(again)")
            } catch {
                check(false, "a decoded \(command) answer does not re-encode: \(response): \(error)")
            }
        }
    } catch {
        checkRefusal(error, "\(command) answer")
    }
    for kind in [MessageKind.request, .response] {
        do {
            let element = try codec.decodeElement(body, as: kind, command: command)
            do {
                let xml = try codec.xml(fromJSONForm: element.jsonForm(), as: kind, command: command)
                check(
                    try codec.decodeElement(xml, as: kind, command: command) == element,
                    "\(command): XML → JSON → XML changed \(element)")
            } catch {
                check(false, "a valid \(command) message does not survive its JSON form: \(element): \(error)")
            }
        } catch {
            checkRefusal(error, "\(command) tree")
        }
    }
    // The bytes as a JSON form of the command's messages: what is accepted is a valid message.
    let text = String(decoding: body, as: UTF8.self)
    for kind in [MessageKind.request, .response] {
        guard let xml = try? codec.xml(fromJSONForm: text, as: kind, command: command) else { continue }
        check(
            (try? codec.decodeElement(xml, as: kind, command: command)) != nil, "\(command): an accepted JSON form is not valid")
    }
    do {
        _ = try codec.decodeConferencesEvent(body)
    } catch {
        checkRefusal(error, "conferences event")
    }
    do {
        _ = try codec.decodeConferenceParticipantsEvent(body)
    } catch {
        checkRefusal(error, "participants event")
    }
}

/// Compiles the bytes as a user's schema (``CommandSchema``); one that compiles validates the
/// bytes themselves and an ok answer.
func fuzzCommandSchema(_ body: UnsafeBufferPointer<UInt8>) {
    let schema: CommandSchema
    do {
        schema = try CommandSchema(name: "fuzz", xsd: body)
    } catch {
        check(error.kind != .internalFailure, "internal failure compiling a schema: \(error)")
        check(!error.issues.isEmpty, "a schema error without issues")
        return
    }
    let okAnswer = Array("<out><response><ok/></response></out>".utf8)
    for (bytes, kind) in [(Array(body), MessageKind.request), (Array(body), .response), (okAnswer, .response)] {
        do {
            let element = try codec.decodeElement(bytes, as: kind, schema: schema)
            check(element.name == (kind == .request ? "in" : "out"), "a \(kind) tree rooted at \(element.name)")
        } catch {
            checkRefusal(error, "user schema \(kind)")
        }
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let body = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    fuzzOne(body)
    fuzzLogin(body)
    fuzzJSONForm(body)
    fuzzCommands(body)
    fuzzCommandSchema(body)
    return 0
}

#if CALLCONSULT_FUZZING
/// Hands the command line to libFuzzer.
@main
enum FuzzMain {
    static func main() {
        FuzzDriver.runLibFuzzer(fuzzerTestOneInput)
    }
}
#else
/// Replays files (or every file in folders) through the fuzz checks; `--repeat N` replays them
/// N times (for leak checkers and memory watching).
@main
enum Replay {
    static func main() {
        let (inputs, repeats) = FuzzDriver.replayInputs(tool: "callconsult-fuzz")
        for _ in 0..<repeats {
            for data in inputs { FuzzDriver.run(fuzzerTestOneInput, on: data) }
        }
        print("replayed \(inputs.count) inputs \(repeats) times, no invariant broken")
    }
}
#endif
