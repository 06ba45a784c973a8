import CallConsultKit
import NIOCore
import NIOHTTP1

/// The last handler of one client connection (after NIO's HTTP/1.1 request decoder): gathers a
/// request (bounded), checks it, forwards it on this connection's own keep-alive connection to the
/// upstream (opened lazily on the same event loop, reopened when it closes), gathers and checks
/// the answer, reports the exchange, and writes the answer back. Everything happens on the
/// connection's event loop.
///
/// Pipelined requests wait in arrival order while one is forwarded, and reading stops while any
/// wait (so no more than one read's worth is held); a connection that pipelines nothing is read
/// without pause. On `ChannelShouldQuiesceEvent` it closes once idle, or after its answer in flight.
///
/// Each answer goes out as one buffer (head and body serialized together, see ``WireHead``) in
/// one write. A request that cannot be parsed is answered 400 with the parser's reason, after
/// the answers to the requests before it, and the connection closes.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
final class ProxyHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let settings: ProxySettings
    private let allocator = ByteBufferAllocator()
    private var context: ChannelHandlerContext?
    private var clientOpen = true
    /// The request being received: its exchange and head.
    private var receiving: (pending: PendingExchange, head: HTTPRequestHead)?
    private var body = ByteBuffer()
    private var bodyTooLarge = false
    /// The request forwarded and not yet answered, and its number.
    private var forwarding: (pending: PendingExchange, number: Int)?
    private var timeout: Scheduled<Void>?
    private var requestNumber = 0
    private var upstream: UpstreamHandler?
    /// Parts of requests that came while one was forwarded, in order.
    private var queued = CircularBuffer<HTTPServerRequestPart>()
    private var readHeld = false
    /// Why the request after the queued parts could not be parsed: answered once they are.
    private var unparsable: String?
    private var draining = false
    /// Whether the connection closes after the answer in flight (a graceful shutdown).
    private var quiescing = false
    private var closing = false

    /// A handler forwarding as `settings` say.
    init(settings: ProxySettings) {
        self.settings = settings
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if forwarding != nil || !queued.isEmpty {
            queued.append(part)
        } else if !closing {
            handle(part, context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        if queued.isEmpty {
            context.read()
        } else {
            readHeld = true
        }
    }

    /// Handles the waiting parts until one request is forwarded again; reads again once none wait.
    private func drain(context: ChannelHandlerContext) {
        // An answer given at once (413, strict 400) while draining comes back here: the loop goes on.
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while forwarding == nil, !closing, let part = queued.popFirst() {
            handle(part, context: context)
        }
        if forwarding == nil, !closing, queued.isEmpty, let reason = unparsable {
            unparsable = nil
            refuseUnparsable(reason, context: context)
        }
        if queued.isEmpty, readHeld {
            readHeld = false
            context.read()
        }
    }

    /// Gathers one part of the request being received (its body bounded), and takes the whole
    /// request on at its end.
    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            receiving = (PendingExchange(head: head), head)
            body = ByteBuffer()
            bodyTooLarge = false
            // HTTP/1.0 clients get no 1xx answer (RFC 9110 §15.2).
            if head.version.major == 1, head.version.minor >= 1, head.headers.contains(name: "expect"),
                head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" })
            {
                // The proxy reads the whole body before forwarding: the client may send it now.
                context.writeAndFlush(wrapOutboundOut(WireHead.proceed(head.version, allocator: allocator)), promise: nil)
            }
        case .body(var part):
            guard receiving != nil, !bodyTooLarge else { return }
            if body.readableBytes + part.readableBytes > settings.maxBodyBytes {
                bodyTooLarge = true
                body = ByteBuffer()
            } else if body.readableBytes == 0 {
                body = part
            } else {
                body.writeBuffer(&part)
            }
        case .end:
            guard let (pending, head) = receiving else { return }
            receiving = nil
            let request = body
            body = ByteBuffer()
            received(pending, head: head, body: request)
        }
    }

    /// A whole request: answered at once (413, strict 400) or forwarded.
    private func received(_ pending: PendingExchange, head: HTTPRequestHead, body: ByteBuffer) {
        if bodyTooLarge {
            let limit = settings.maxBodyBytes
            fail(.init(kind: .requestTooLarge, status: 413, message: "the request body is over \(limit) bytes"), pending)
            return
        }
        if let error = pending.checkRequest(body, with: settings.check), settings.strict {
            pending.exchange.failure = .init(
                kind: .invalidRequest, status: 400, message: "the request is not valid: \(error.kind.code)")
            answer(pending, status: 400, bytes: pending.text(400, "\(error)\n", allocator: allocator))
            return
        }
        forward(pending, head: head, body: body)
    }

    /// Sends the request (`head` as the client sent it) on this connection's upstream connection
    /// (opening one when there is none to reuse), with the upstream timeout scheduled on the
    /// event loop.
    private func forward(_ pending: PendingExchange, head: HTTPRequestHead, body: ByteBuffer) {
        guard let context else { return }
        let bytes = settings.upstream.request(head, body: body, allocator: allocator)
        requestNumber &+= 1
        let number = requestNumber
        forwarding = (pending, number)
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: settings.timeoutAmount) {
            self.timedOut(number)
        }
        if let upstream, upstream.isReusable {
            upstream.send(head, bytes: bytes) { outcome in self.answered(outcome, number: number) }
            return
        }
        upstream?.close()
        let connection = UpstreamHandler(limit: settings.maxBodyBytes)
        upstream = connection
        // Queued first: a connection that fails at once fails this request.
        connection.send(head, bytes: bytes) { outcome in self.answered(outcome, number: number) }
        settings.upstream.connect(on: context.eventLoop, handler: connection).assumeIsolated().whenFailure { error in
            connection.connectFailed(error)
        }
    }

    /// The upstream was silent past the timeout: its connection is closed, the client gets 504.
    private func timedOut(_ number: Int) {
        guard let (pending, current) = forwarding, current == number else { return }
        timeout = nil
        upstream?.close()
        upstream = nil
        fail(
            .init(kind: .upstreamTimeout, status: 504, message: "the upstream did not answer within \(settings.timeout)"),
            pending)
    }

    /// The upstream's answer (checked, then passed on) or failure, for request `number`.
    private func answered(_ outcome: UpstreamHandler.Outcome, number: Int) {
        guard let (pending, current) = forwarding, current == number else { return }
        timeout?.cancel()
        timeout = nil
        switch outcome {
        case .failure(let failure):
            fail(failure, pending)
        case .answer(let head, let answer):
            pending.checkResponse(head, answer, with: settings.check)
            let bytes = pending.answer(status: head.status, headers: head.headers, body: answer, allocator: allocator)
            self.answer(pending, status: Int(head.status.code), bytes: bytes)
        }
    }

    /// Answers with the proxy's own plain-text failure.
    private func fail(_ failure: ECSSProxy.Failure, _ pending: PendingExchange) {
        pending.exchange.failure = failure
        answer(pending, status: failure.status, bytes: pending.text(failure.status, "\(failure.message)\n", allocator: allocator))
    }

    /// Reports the exchange, then writes the answer, `bytes` with `status` (closing after it when
    /// the client asked).
    private func answer(_ pending: PendingExchange, status: Int, bytes: ByteBuffer) {
        forwarding = nil
        var exchange = pending.exchange
        exchange.status = status
        exchange.duration = ContinuousClock.now - pending.started
        settings.onExchange(exchange)
        guard clientOpen, let context else {
            // The client left: its connection to the upstream has no more use.
            upstream?.close()
            upstream = nil
            return
        }
        if pending.keepAlive, !quiescing {
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
            drain(context: context)
        } else {
            closing = true
            queued.removeAll()
            writeThenClose(bytes, context: context)
        }
    }

    /// Writes `bytes`, then closes the connection.
    private func writeThenClose(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .read = event as? IdleStateHandler.IdleStateEvent {
            // Silent past the idle timeout: closed, unless a request waits for the upstream's
            // answer (a request cut mid-way is reported by channelInactive).
            if forwarding == nil, !closing {
                closing = true
                context.close(promise: nil)
            }
            return
        }
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        if forwarding == nil, receiving == nil {
            closing = true
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        clientOpen = false
        closing = true
        queued.removeAll()
        if let (pending, _) = receiving {
            // The connection broke mid-request: nobody gets an answer, but the exchange is told.
            receiving = nil
            reportUnreadable(pending, because: "the connection closed")
        }
        if forwarding == nil {
            upstream?.close()
            upstream = nil
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError, clientOpen, !closing else {
            context.close(promise: nil)
            return
        }
        // The decoder reads no further: the requests before the error are answered first.
        if forwarding != nil || !queued.isEmpty {
            unparsable = "\(error)"
        } else {
            refuseUnparsable("\(error)", context: context)
        }
    }

    /// Answers a request the decoder could not parse 400 (`reason` in plain text) and closes; a
    /// request whose head came is reported as `request_unreadable`.
    private func refuseUnparsable(_ reason: String, context: ChannelHandlerContext) {
        closing = true
        queued.removeAll()
        // In the client's version when its head was read (HTTP/1.1 when not even that).
        var version = HTTPVersion.http1_1
        if let (pending, _) = receiving {
            receiving = nil
            version = pending.version
            reportUnreadable(pending, because: reason)
        }
        writeThenClose(WireHead.unreadable(reason, version: version, allocator: allocator), context: context)
    }

    /// Reports a request whose body could not be read as a `request_unreadable` exchange (status
    /// 400, which the client gets unless it left).
    private func reportUnreadable(_ pending: PendingExchange, because reason: String) {
        settings.onExchange(pending.unreadable(because: reason))
    }
}
