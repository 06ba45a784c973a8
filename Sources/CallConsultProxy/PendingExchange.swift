import CallConsultKit
import Foundation
import NIOCore
import NIOHTTP1

/// One request through the proxy from its head's arrival to its answer: the ``ECSSProxy/Exchange``
/// being filled in, and what the answer to the client must say about the connection.
///
/// A class, so that handing it from state to state is one reference, not a copy of every field;
/// it lives on its connection's event loop only.
final class PendingExchange {
    /// The exchange as found so far (its status and duration are set when it is answered).
    var exchange: ECSSProxy.Exchange
    /// The command whose schemas the request and the answer are held to: a known command's `POST`.
    let checked: CommandName?
    /// When the head arrived.
    let started: ContinuousClock.Instant
    /// The client's HTTP version, which the answer is written in.
    let version: HTTPVersion
    /// Whether the client keeps the connection open after this answer.
    let keepAlive: Bool
    /// Whether the request is a `HEAD` (its answer has no body, whatever its `Content-Length`).
    let isHead: Bool

    /// The exchange of a request with `head`, arrived now.
    init(head: HTTPRequestHead) {
        started = .now
        let uri = head.uri
        let path = uri.utf8.firstIndex(of: UInt8(ascii: "?")).map { String(uri[..<$0]) } ?? uri
        let target = ExchangeCheck.Target(path: path)
        let command = target.flatMap { ExchangeCheck.commands[$0.name] }
        exchange = ECSSProxy.Exchange(
            time: Date(), method: head.method.rawValue, path: path, domain: target?.domain, command: command, status: 0,
            request: nil, requestValid: nil, responseValid: nil, response: nil, issues: [], failure: nil,
            duration: .zero)
        checked = head.method == .POST ? command : nil
        version = head.version
        keepAlive = head.isKeepAlive
        isHead = head.method == .HEAD
    }

    /// The exchange of a request whose body could not be read (`reason`): `request_unreadable`,
    /// status 400, its duration up to now.
    func unreadable(because reason: String) -> ECSSProxy.Exchange {
        var exchange = exchange
        exchange.failure = .init(
            kind: .requestUnreadable, status: 400, message: "the request body could not be read: \(reason)")
        exchange.status = 400
        exchange.duration = ContinuousClock.now - started
        return exchange
    }

    /// Checks the request body against the command's schema (when the request is a known
    /// command's `POST`); returns the codec's refusal when it is invalid.
    func checkRequest(_ body: ByteBuffer, with check: ExchangeCheck) -> DocumentError? {
        guard let checked else { return nil }
        switch check.request(body, command: checked) {
        case .success(let decoded):
            exchange.request = decoded
            exchange.requestValid = true
            return nil
        case .failure(let error):
            exchange.requestValid = false
            exchange.issues = error.issues.map {
                .init(which: .request, line: $0.line, column: $0.column, message: $0.message)
            }
            return error
        }
    }

    /// Checks an XML answer as the command's `<out>` (when the command has one).
    func checkResponse(_ head: HTTPResponseHead, _ body: ByteBuffer, with check: ExchangeCheck) {
        guard let checked, checked.hasResponseDocument,
            ExchangeCheck.isXML(contentType: head.headers.first(name: "content-type"), body: body)
        else { return }
        switch check.response(body, command: checked) {
        case .success(let decoded):
            exchange.response = decoded
            exchange.responseValid = true
        case .failure(let error):
            exchange.responseValid = false
            exchange.issues += error.issues.map {
                .init(which: .response, line: $0.line, column: $0.column, message: $0.message)
            }
        }
    }

    /// The answer for the client as it goes on the wire: the status line in the client's version,
    /// the upstream's `headers` but the hop-by-hop ones, a `Content-Length` added when there is
    /// none, `Connection` as the client's version needs it, then `body` (none to a `HEAD`).
    func answer(status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer, allocator: ByteBufferAllocator)
        -> ByteBuffer
    {
        var wire = WireHead(fields: headers.count + 2)
        wire.appendStatusLine(version: version, status: status)
        let hasContentLength = Upstream.appendReturned(headers, to: &wire)
        finishHead(&wire, status: status, hasContentLength: hasContentLength, bodyBytes: body.readableBytes)
        return wire.message(body: isHead ? ByteBuffer() : body, allocator: allocator)
    }

    /// A plain-text answer of the proxy's own, as it goes on the wire (its head only to a `HEAD`).
    func text(_ status: Int, _ text: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        let status = HTTPResponseStatus(statusCode: status)
        var wire = WireHead(fields: 3)
        wire.appendStatusLine(version: version, status: status)
        wire.appendField("Content-Type", "text/plain; charset=utf-8")
        finishHead(&wire, status: status, hasContentLength: false, bodyBytes: text.utf8.count)
        return wire.message(body: isHead ? ByteBuffer() : ByteBuffer(string: text), allocator: allocator)
    }

    /// Adds to a head `Content-Length` when the answer has a body and none was written, and
    /// `Connection` as the client's version needs it.
    private func finishHead(_ wire: inout WireHead, status: HTTPResponseStatus, hasContentLength: Bool, bodyBytes: Int) {
        let code = status.code
        if !hasContentLength, !isHead, code >= 200, code != 204, code != 304 {
            wire.appendField("Content-Length", String(bodyBytes))
        }
        if !keepAlive, version.major == 1, version.minor >= 1 {
            wire.appendField("Connection", "close")
        } else if keepAlive, version.major == 1, version.minor == 0 {
            wire.appendField("Connection", "keep-alive")
        }
    }
}
