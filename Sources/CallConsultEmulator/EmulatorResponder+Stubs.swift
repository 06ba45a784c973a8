import CallConsultKit
import Foundation
import Hummingbird
import NIOCore

/// The data plane when stubs are registered: the stub that matches the request (after the
/// session check), its answer and its fault.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension EmulatorResponder {
    /// A request of `command` that passed the head's checks (session included), while stubs are
    /// registered.
    func stubbed(
        _ request: Request, command: CommandName, route: Route, time: Date, channel: any Channel
    ) async throws -> Response {
        if let claim = emulator.stubStore.claimOnHead(command: command, domain: route.domain) {
            return await resetBeforeBody(time, route, nil, claim: claim, channel: channel)
        }
        let decoded: ECSSRequest
        switch try await self.decoded(request, command: command) {
        case .failure(let refusal): return record(time, route, .refused(refusal), Answer.refusal(refusal))
        case .success(let request): decoded = request
        }
        guard let claim = emulator.stubStore.claim(decoded, domain: route.domain) else {
            let (outcome, response) = await carryOut(decoded, domain: route.domain)
            return record(time, route, outcome, response)
        }
        let stub = claim.stub
        guard let fault = stub.fault else {
            let (outcome, response) = await carryOut(decoded, domain: route.domain, answer: stub.answer, status: stub.status)
            return record(time, route, outcome, response, stub: claim.id)
        }
        switch fault.kind {
        case .resetBeforeBody:
            // A newer stub matching on attributes had the body read; the command is still not
            // carried out.
            return await resetBeforeBody(time, route, decoded, claim: claim, channel: channel)
        case .http:
            let response = Answer.http(fault)
            return record(time, route, .faulted(.http, decoded, nil), response, stub: claim.id)
        case .sessionLost:
            emulator.sessions.end(SessionCookie.token(in: request.headers))
            return record(
                time, route, .faulted(.sessionLost, decoded, nil), Answer.refusal(.noSession), stub: claim.id)
        case .stall, .resetAfterCommand:
            _ = await carryOut(decoded, domain: route.domain, answer: stub.answer, status: stub.status)
            record(time, route, .faulted(fault.kind, decoded, nil), Self.unsent, status: 0, stub: claim.id)
            if fault.kind == .stall {
                _ = await Connection.wait(on: channel, for: nil, stop: emulator.stopping)
            }
            await Connection.reset(channel)
            return Self.unsent
        case .delay:
            // Carried out at once, journaled when the delay ends: with the answer sent, or with
            // none when the client left during the delay (the journal never claims a status
            // that was not sent).
            let (outcome, response) = await carryOut(decoded, domain: route.domain, answer: stub.answer, status: stub.status)
            let delay = Duration.milliseconds(fault.delayMilliseconds ?? 0)
            if await Connection.wait(on: channel, for: delay, stop: emulator.stopping) == .clientLeft {
                record(time, route, .faulted(.delay, decoded, nil), Self.unsent, status: 0, stub: claim.id)
                return Self.unsent
            }
            return record(time, route, .faulted(.delay, decoded, Self.sent(outcome)), response, stub: claim.id)
        case .truncated:
            let (outcome, response) = await carryOut(decoded, domain: route.domain, answer: stub.answer, status: stub.status)
            record(time, route, .faulted(.truncated, decoded, Self.sent(outcome)), response, stub: claim.id)
            return await Self.truncated(response, channel: channel)
        }
    }

    /// Closes the connection before the body is read: journaled with no status, not carried out.
    private func resetBeforeBody(
        _ time: Date, _ route: Route, _ decoded: ECSSRequest?, claim: StubStore.Claim, channel: any Channel
    ) async -> Response {
        record(time, route, .faulted(.resetBeforeBody, decoded, nil), Self.unsent, status: 0, stub: claim.id)
        await Connection.reset(channel)
        return Self.unsent
    }

    /// The answer a fault's outcome sent to a command (none for a login or a refusal).
    private static func sent(_ outcome: ECSSEmulator.Outcome) -> CommandResponse? {
        if case .answered(_, let response) = outcome { return response }
        return nil
    }

    /// What the responder returns for a connection it closed: never written.
    private static var unsent: Response { Response(status: .ok) }

    /// `response` with its whole `Content-Length` announced, half its body sent, and the
    /// connection closed.
    private static func truncated(_ response: Response, channel: any Channel) async -> Response {
        let body = await Answer.bytes(of: response.body)
        let half = body.getSlice(at: body.readerIndex, length: body.readableBytes / 2) ?? ByteBuffer()
        var truncated = response
        truncated.body = ResponseBody(contentLength: body.readableBytes) { writer in
            try await writer.write(half)
            await Connection.close(channel)
        }
        return truncated
    }
}
