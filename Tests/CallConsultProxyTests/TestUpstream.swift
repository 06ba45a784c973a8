import NIOCore
import NIOHTTP1
import NIOPosix

/// A server on loopback port 0 made for one behaviour on every connection: answer bytes that are
/// not HTTP and close, read and never answer, or echo the request it got (method and target on
/// the first line, each header field on a line, an empty line, the body's bytes).
final class TestUpstream: Sendable {
    enum Behaviour: Sendable {
        case garbage
        case silent
        case echo
    }

    private let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    init(_ behaviour: Behaviour) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if behaviour == .echo {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(Echo())
                    } else {
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
            context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in context.close(promise: nil) }
        }
    }

    private final class Echo: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private var echoed = ByteBuffer()

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                echoed = ByteBuffer(string: "\(head.method.rawValue) \(head.uri)\n")
                for (name, value) in head.headers { echoed.writeString("\(name): \(value)\n") }
                echoed.writeString("\n")
            case .body(var part):
                echoed.writeBuffer(&part)
            case .end:
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/octet-stream")
                headers.add(name: "Set-Cookie", value: "A=1; Path=/")
                headers.add(name: "Set-Cookie", value: "B=2; HttpOnly")
                headers.add(name: "X-Custom", value: "kept")
                headers.add(name: "Keep-Alive", value: "timeout=5")
                headers.add(name: "Content-Length", value: "\(echoed.readableBytes)")
                context.write(wrapOutboundOut(.head(.init(version: .http1_1, status: .accepted, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(echoed))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
