import NIOCore
import NIOHTTP1

/// The listening channel's handler: it lets at most `limit` client connections be open at once
/// (each has at most one connection to the upstream, so the upstream never sees more; further
/// clients wait in the listen backlog until one closes), knows every open one, and on
/// ``Quiesce`` stops accepting and asks each to finish its exchange and close.
///
/// It lives on the listening channel's event loop; client connections report their closing by
/// hopping onto it.
final class ConnectionGate: ChannelDuplexHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel
    typealias OutboundIn = Never

    /// Stop accepting and close every client connection: after its exchange in flight
    /// (`immediately` false), or at once.
    struct Quiesce: Sendable {
        /// Whether connections are closed at once instead of after their exchange in flight.
        var immediately: Bool
    }

    private let limit: Int
    private let allClosed: EventLoopPromise<Void>
    private var children: [ObjectIdentifier: any Channel] = [:]
    private var readHeld = false
    private var quiescing = false
    private var done = false

    /// A gate of `limit` connections (at least 1); `allClosed` is completed once the proxy
    /// quiesces and its last connection closed.
    init(limit: Int, allClosed: EventLoopPromise<Void>) {
        self.limit = max(1, limit)
        self.allClosed = allClosed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        let id = ObjectIdentifier(child)
        children[id] = child
        let loop = context.eventLoop
        let gate = NIOLoopBound(self, eventLoop: loop)
        let boundContext = NIOLoopBound(context, eventLoop: loop)
        child.closeFuture.whenComplete { _ in
            loop.execute { gate.value.closed(id, context: boundContext.value) }
        }
        context.fireChannelRead(data)
        // Accepted while stopping: closed once registered (the close is queued after that).
        if quiescing { child.close(promise: nil) }
    }

    func read(context: ChannelHandlerContext) {
        if !quiescing, children.count >= limit {
            readHeld = true
        } else {
            context.read()
        }
    }

    private func closed(_ id: ObjectIdentifier, context: ChannelHandlerContext) {
        children[id] = nil
        if readHeld, !quiescing, children.count < limit {
            readHeld = false
            context.read()
        }
        checkDone()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let quiesce = event as? Quiesce else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if quiesce.immediately {
            quiescing = true
            context.close(promise: nil)
            for child in children.values { child.close(promise: nil) }
            checkDone()
        } else {
            startQuiescing(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        startQuiescing(context: context)
        context.fireChannelInactive()
    }

    private func startQuiescing(context: ChannelHandlerContext) {
        guard !quiescing else { return }
        quiescing = true
        context.close(promise: nil)
        for child in children.values {
            child.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        checkDone()
    }

    private func checkDone() {
        guard quiescing, children.isEmpty, !done else { return }
        done = true
        allClosed.succeed()
    }
}
