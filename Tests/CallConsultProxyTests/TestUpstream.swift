import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A server on loopback port 0 made for one behaviour on every connection: answer bytes that are
/// not HTTP and close, read and never answer, or echo the request it got (method and target on
/// the first line, each header field on a line, an empty line, the body's bytes), or echo and
/// close the connection after each answer (`Connection: close`), or echo after a delay. It counts
/// the connections it accepted. An echo answers a `HEAD` with the same fields and no body, and
/// adds to its answer a field `NAME: VALUE` for each `X-Answer-Field: NAME=VALUE` of the request.
final class TestUpstream: Sendable {
    enum Behaviour: Sendable, Equatable {
        case garbage
        case silent
        case echo
        case echoClosing
        case delayed(Duration)
    }

    private let channel: any Channel
    private let accepted = NIOLockedValueBox(0)
    var port: Int { channel.localAddress?.port ?? 0 }
    /// How many connections it accepted so far.
    var connections: Int { accepted.withLockedValue { $0 } }

    init(_ behaviour: Behaviour) async throws {
        let accepted = accepted
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.withLockedValue { $0 += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    switch behaviour {
                    case .echo, .echoClosing, .delayed:
                        var delay: Duration?
                        if case .delayed(let duration) = behaviour { delay = duration }
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(Echo(closing: behaviour == .echoClosing, delay: delay))
                    case .garbage, .silent:
                        try channel.pipeline.syncOperations.addHandler(Misbehaving(behaviour))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async {
        try? await channel.close().get()
    }

    private final class Misbehaving: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let behaviour: Behaviour
        init(_ behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard behaviour == .garbage else { return }
            let bytes = ByteBuffer(string: "this is not HTTP at all\r\n\r\n")
            context.writeAndFlush(wrapOutboundOut(bytes)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    private final class Echo: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private let closing: Bool
        private let delay: Duration?
        private var echoed = ByteBuffer()
        private var isHead = false
        private var added: [(String, String)] = []

        init(closing: Bool, delay: Duration?) {
            self.closing = closing
            self.delay = delay
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                isHead = head.method == .HEAD
                added = head.headers["X-Answer-Field"].compactMap { field in
                    field.firstIndex(of: "=").map { (String(field[..<$0]), String(field[field.index(after: $0)...])) }
                }
                echoed = ByteBuffer(string: "\(head.method.rawValue) \(head.uri)\n")
                for (name, value) in head.headers { echoed.writeString("\(name): \(value)\n") }
                echoed.writeString("\n")
            case .body(var part):
                echoed.writeBuffer(&part)
            case .end:
                guard let delay else { return answer(context: context) }
                context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { self.answer(context: context) }
            }
        }

        private func answer(context: ChannelHandlerContext) {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/octet-stream")
            headers.add(name: "Set-Cookie", value: "A=1; Path=/")
            headers.add(name: "Set-Cookie", value: "B=2; HttpOnly")
            headers.add(name: "X-Custom", value: "kept")
            headers.add(name: "Keep-Alive", value: "timeout=5")
            for (name, value) in added { headers.add(name: name, value: value) }
            headers.add(name: "Content-Length", value: "\(echoed.readableBytes)")
            if closing { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(.init(version: .http1_1, status: .accepted, headers: headers))), promise: nil)
            if !isHead { context.write(wrapOutboundOut(.body(.byteBuffer(echoed))), promise: nil) }
            if closing {
                context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            } else {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
