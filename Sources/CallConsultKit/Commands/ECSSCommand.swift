/// A command request of ECSS-10's call-centre HTTP API: every command's request model conforms
/// (``CallConsultRequest``, ``CallHoldRequest``, …, ``LoginRequest``, ``MonitorRequest``).
///
/// It is what the generic entry points take: ``CallConsultCodec/encode(_:)-(ECSSCommand)`` and
/// ``CallConsultCodec/decode(_:from:)`` for any command, and the ``ECSSRequest`` enum for places
/// that take any command at run time. Every command is answered with a ``CommandResponse``
/// (but `monitor`, whose answer is an HTTP status only).
///
/// ```swift
/// let codec = CallConsultCodec()
/// let body = try codec.encode(CallHoldRequest(conversationID: "c-1"))
/// let hold = try codec.decode(CallHoldRequest.self, from: body)
/// ```
///
/// The family is closed: a command this package does not ship is validated against its own
/// schema with ``CommandSchema`` and read as a ``MessageElement`` tree.
public protocol ECSSCommand: Sendable, Hashable {
    /// The command's name, e.g. ``CommandName/callHold``.
    static var name: CommandName { get }
    /// The request as the enum of every command's request.
    var request: ECSSRequest { get }
    /// The request of this command held by `request`; `nil` for another command's.
    init?(_ request: ECSSRequest)
}
