public import CallConsultKit
public import Logging

/// A typed method for each command: each is ``ECSSClient/send(_:logger:)-(ECSSCommand,Logger?)``
/// keeping only the decoded answer.
///
/// Every one logs in first when there is no session, logs in again and resends once when the
/// answer says the session was lost, never resends otherwise, and throws ``ECSSClientError``,
/// `CancellationError`, or `EncodingError` (nothing sent). `logger` is where the client logs, at
/// debug and trace only; silent by default.
extension ECSSClient {
    /// Sends `call_consult` (connect an operator to a conversation in consultation mode) and
    /// returns ECSS-10's answer: `.ok`, or `.error` with the reason, cmd and body ECSS-10 gave,
    /// whatever the HTTP status that carried it.
    public func callConsult(_ request: CallConsultRequest, logger: Logger? = nil) async throws -> CommandResponse {
        try await send(request, logger: logger).response
    }

    /// Sends `call_hold` (put a conversation on hold) and returns ECSS-10's answer.
    public func callHold(_ request: CallHoldRequest, logger: Logger? = nil) async throws -> CommandResponse {
        try await send(request, logger: logger).response
    }

    /// Sends `call_unhold` (take a conversation off hold) and returns ECSS-10's answer.
    public func callUnhold(_ request: CallUnholdRequest, logger: Logger? = nil) async throws -> CommandResponse {
        try await send(request, logger: logger).response
    }

    /// Sends `call_unattended_transfer` (blind transfer of a conversation) and returns ECSS-10's
    /// answer.
    public func callUnattendedTransfer(_ request: CallUnattendedTransferRequest, logger: Logger? = nil) async throws
        -> CommandResponse
    {
        try await send(request, logger: logger).response
    }

    /// Sends `block_operator` and returns ECSS-10's answer; an error reply comes with HTTP 200
    /// and is `.error` all the same.
    public func blockOperator(_ request: BlockOperatorRequest, logger: Logger? = nil) async throws -> CommandResponse {
        try await send(request, logger: logger).response
    }

    /// Sends `unblock_operator` and returns ECSS-10's answer; an error reply comes with HTTP 200
    /// and is `.error` all the same.
    public func unblockOperator(_ request: UnblockOperatorRequest, logger: Logger? = nil) async throws -> CommandResponse {
        try await send(request, logger: logger).response
    }

    /// Sends `auxwork` (put the operator in the "away" state, with a reason) and returns ECSS-10's
    /// answer; an error reply comes with HTTP 200 and is `.error` all the same.
    public func auxWork(_ request: AuxWorkRequest, logger: Logger? = nil) async throws -> CommandResponse {
        try await send(request, logger: logger).response
    }

    /// Sends `add_participant` (add participants to a conference, as its published schema
    /// writes it) and returns ECSS-10's answer; an error reply comes with HTTP 200 and is
    /// `.error` all the same.
    public func addParticipant(_ request: AddParticipantRequest, logger: Logger? = nil) async throws -> CommandResponse {
        try await send(request, logger: logger).response
    }

    /// Sends `remove_participant` (remove a conference participant) and returns ECSS-10's answer.
    public func removeParticipant(_ request: RemoveParticipantRequest, logger: Logger? = nil) async throws
        -> CommandResponse
    {
        try await send(request, logger: logger).response
    }

    /// Sends `monitor` (subscribe to, or unsubscribe from, events) and returns ECSS-10's answer:
    /// ``MonitorResult/ok`` for 2xx, ``MonitorResult/unknownEvent`` for 404. A 401 or 403 is a
    /// lost session as for every command (one new login, one resend); any other status is an
    /// ``ECSSClientError``.
    public func monitor(_ request: MonitorRequest, logger: Logger? = nil) async throws -> MonitorResult {
        try await send(request, logger: logger).response == .ok ? .ok : .unknownEvent
    }
}
