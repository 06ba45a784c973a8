import ArgumentParser
import CallConsultKit
import Hummingbird

/// An ECSS-10 `call_consult` endpoint: a test double for integration suites, or the start of a gateway.
///
/// `POST /{domain}/service/cc/arm/call_consult` answers:
/// - 200 and `<out><response><ok/></response></out>` when the operator can be connected;
/// - 403 and `<out><error reason="cannot_perform_cmd" cmd="call_consult"/></out>` when not (here: a
///   conversation whose id starts with `closed-`, standing for a conversation that has ended);
/// - 400 and the `DocumentError`'s text for a body that is not a valid request;
/// - 413 for a body over the codec's size limit.
@main
struct CallConsultServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call-consult-server",
        abstract: "Serve POST /{domain}/service/cc/arm/call_consult with CallConsultKit.")

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    func run() async throws {
        let codec = CallConsultCodec()
        let router = Router()
        router.post("{domain}/service/cc/arm/call_consult") { request, context -> Response in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: codec.limits.maxBodyBytes)
            } catch {
                return Self.text(.contentTooLarge, "too_large: the body is over \(codec.limits.maxBodyBytes) bytes\n")
            }
            let consult: CallConsultRequest
            do {
                consult = try codec.decodeRequest(body.readableBytesView)
            } catch let error as DocumentError {
                return Self.text(error.kind == .tooLarge ? .contentTooLarge : .badRequest, "\(error)\n")
            }
            let domain = context.parameters.get("domain") ?? ""
            context.logger.info(
                "call_consult",
                metadata: [
                    "domain": "\(domain)", "conversation_id": "\(consult.conversationID)",
                    "to_number": "\(consult.toNumber)", "operator_id": "\(consult.operatorID ?? "(requesting operator)")",
                ])
            let answer: CallConsultResponse =
                consult.conversationID.hasPrefix("closed-")
                ? .error(ErrorReply(reason: ErrorReply.cannotPerformCommand, command: "call_consult"))
                : .ok
            do {
                let bytes = try codec.encode(answer)
                return Response(
                    status: .init(code: answer.httpStatus),
                    headers: [.contentType: CallConsultResponse.contentType],
                    body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            } catch {
                return Self.text(.internalServerError, "\(error)\n")
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)))
        try await app.runService()
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}
