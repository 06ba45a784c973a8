import NIOCore
import NIOHTTP1
import NIOSSL

/// The last handler of one keep-alive connection to the upstream, owned by the client
/// connection's ``ProxyHandler`` and living on the same event loop: it sends one request at a time
/// and gathers its whole answer, bounded by `DecodingLimits.maxBodyBytes`.
///
/// Every request ends in exactly one ``Outcome`` given to the completion of ``send(_:bytes:completion:)``:
/// the answer, or the failure the client is to get (`upstream_unreachable`, `upstream_garbage`,
/// `answer_too_large`). After a failure, an answer that asks to close, or ``close()``, the
/// connection is not ``isReusable`` and the owner opens another for its next request.
final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = ByteBuffer

    /// How one request through this connection ended.
    enum Outcome {
        /// The upstream's answer: its head and its whole body.
        case answer(HTTPResponseHead, ByteBuffer)
        /// What the client gets instead.
        case failure(ECSSProxy.Failure)
    }

    private let limit: Int
    /// The decoder of this connection's answers, which its pipeline runs before this handler.
    let decoder = ResponseDecoder()
    private var context: ChannelHandlerContext?
    private var active = false
    private var closed = false
    /// A request given before the connection was up, written once it is.
    private var queued: (head: HTTPRequestHead, bytes: ByteBuffer)?
    private var completion: ((Outcome) -> Void)?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    /// A handler gathering answers of at most `limit` body bytes.
    init(limit: Int) {
        self.limit = limit
    }

    /// Whether the next request may go on this connection: it is open (or opening) and idle.
    var isReusable: Bool { !closed && completion == nil }

    /// Sends a request on: `bytes`, all of it as it goes on the wire, for a request with `head`'s
    /// method; `completion` gets its ``Outcome`` once, on the event loop.
    func send(_ head: HTTPRequestHead, bytes: ByteBuffer, completion: @escaping (Outcome) -> Void) {
        self.completion = completion
        self.head = nil
        if active, let context {
            write(head, bytes, context: context)
        } else {
            queued = (head, bytes)
        }
    }

    /// The connection could not be opened: the pending request fails `upstream_unreachable`.
    func connectFailed(_ error: any Error) {
        queued = nil
        fail(Self.unreachable(error))
    }

    /// Closes the connection; the pending request, if any, gets no ``Outcome``.
    func close() {
        closed = true
        completion = nil
        queued = nil
        context?.close(promise: nil)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { channelActive(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        closed = true
    }

    func channelActive(context: ChannelHandlerContext) {
        guard !active else { return }
        active = true
        if let queued {
            self.queued = nil
            write(queued.head, queued.bytes, context: context)
        }
        context.fireChannelActive()
    }

    private func write(_ head: HTTPRequestHead, _ bytes: ByteBuffer, context: ChannelHandlerContext) {
        decoder.requestSent(head)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: written)
        written.futureResult.assumeIsolated().whenFailure { error in
            self.fail(Self.unreachable(error))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard completion != nil else {
            // Nothing was asked: an upstream that talks out of turn is not to be trusted.
            close()
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limit {
                tooLarge()
            }
        case .body(var part):
            guard head != nil else { return }
            if body.readableBytes + part.readableBytes > limit {
                tooLarge()
            } else if body.readableBytes == 0 {
                body = part
            } else {
                body.writeBuffer(&part)
            }
        case .end:
            guard let head else { return }
            let answer = body
            self.head = nil
            body = ByteBuffer()
            let completion = self.completion
            self.completion = nil
            if !head.isKeepAlive {
                // Closed before the answer is passed on, so that the next request (which may
                // come while it is) opens a connection of its own.
                closed = true
                context.close(promise: nil)
            }
            completion?(.answer(head, answer))
        }
    }

    private func tooLarge() {
        fail(.init(kind: .answerTooLarge, status: 502, message: "the upstream's answer is over \(limit) bytes"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            fail(.init(kind: .upstreamGarbage, status: 502, message: "the upstream's answer is not HTTP: \(error)"))
        } else {
            fail(Self.unreachable(error))
        }
    }

    /// Closes the connection, then gives the pending request `failure` (the connection is no
    /// longer reusable when the owner hears of it, so a next request opens another).
    private func fail(_ failure: ECSSProxy.Failure) {
        closed = true
        let completion = self.completion
        self.completion = nil
        queued = nil
        context?.close(promise: nil)
        completion?(.failure(failure))
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        let message =
            head == nil
            ? "the upstream closed the connection before answering" : "the upstream closed the connection mid-answer"
        finish(.failure(.init(kind: .upstreamGarbage, status: 502, message: message)))
        context.fireChannelInactive()
    }

    private func finish(_ outcome: Outcome) {
        guard let completion else { return }
        self.completion = nil
        completion(outcome)
    }

    /// The failure of an upstream that cannot be reached (refused, reset, TLS refused).
    static func unreachable(_ error: any Error) -> ECSSProxy.Failure {
        .init(kind: .upstreamUnreachable, status: 502, message: "the upstream could not be reached: \(error)")
    }
}
