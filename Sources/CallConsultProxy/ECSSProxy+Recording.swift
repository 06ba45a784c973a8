public import CallConsultEmulator
internal import CallConsultKit

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSProxy.Exchange {
    /// The emulator stub that answers this exchange's request the way the upstream did, for
    /// `callconsult proxy --record` and `serve --stubs`; `nil` when it cannot be recorded.
    ///
    /// Only a command exchange (not `login`) with a valid request and a valid `<out>` answer,
    /// passed on from the upstream, is recorded: the stub matches the command and every attribute
    /// the request has (by XML name; for `add_participant` the `conference_id` and the first
    /// participant's `number` and `conversation_id`, as a stub's `match` holds one value a name),
    /// and answers the same status and `<out>` (ok, or the error's `reason`, `cmd` and `body`).
    /// `monitor` has no `<out>` and is never recorded; nor is a stub the emulator would refuse.
    /// No stub holds a secret: logins are not recorded, and no command carries a credential.
    public var recordedStub: ECSSEmulator.Stub? {
        guard failure == nil, requestValid == true, responseValid == true, let request, let response,
            request.command != .login, request.command.hasResponseDocument
        else { return nil }
        var match: [String: String] = [:]
        if let attributes = request.flatAttributes {
            for (name, value) in attributes { match[name] = value }
        } else if case .addParticipant(let add) = request, let participants = add.participants {
            match["conference_id"] = participants.conferenceID
            if let first = participants.participants.first {
                match["number"] = first.number
                match["conversation_id"] = first.conversationID
            }
        } else {
            return nil
        }
        let stub = ECSSEmulator.Stub(command: request.command, match: match, answer: response, status: status)
        do {
            try stub.validate()
        } catch {
            return nil
        }
        return stub
    }
}
