import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An HTTP/1.1 server on 127.0.0.1, port 0, whose answers each test programs (in the manner of
/// AsyncHTTPClient's `HTTPBin`): it records every request, then does what the handler says:
/// answer, stall, close the connection or reset it. With a TLS context it speaks https.
final class TestServer: Sendable {
    /// A request as the server read it.
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]

        /// The body as text.
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The `Cookie` header, if any.
        var cookie: String? { headers.first(name: "Cookie") }
    }

    /// What to do with a request.
    enum Action: Sendable {
        /// Answer with this status, headers (`Content-Length` added) and body.
        case respond(HTTPResponseStatus, [(String, String)], [UInt8])
        /// Never answer (until the server stops).
        case stall
        /// Send the head and the first bytes of the body, then never finish.
        case stallAfterHead(HTTPResponseStatus, [(String, String)], [UInt8])
        /// Close the connection without answering.
        case close
        /// Reset the connection (RST) without answering.
        case reset
    }

    typealias Handler = @Sendable (Request) async -> Action

    /// A handler that does `action` with every request.
    static func always(_ action: Action) -> Handler { { _ in action } }

    /// `http://127.0.0.1:PORT` or `https://…`.
    let baseURL: String
    /// The port the server listens on.
    let port: Int
    private let recorded = NIOLockedValueBox<[Request]>([])

    /// Every request read so far, in order.
    var requests: [Request] { recorded.withLockedValue { $0 } }

    private init(baseURL: String, port: Int) {
        self.baseURL = baseURL
        self.port = port
    }

    /// Starts a server (on `port`, or a free one), runs `body` with it, and stops it (always).
    static func withServer<Value: Sendable>(
        tls: NIOSSLContext? = nil, port: Int = 0, handler: @escaping Handler, _ body: (TestServer) async throws -> Value
    ) async throws -> Value {
        // Every connection accepted, until `serve` takes it: one that NIO drops on its way to the
        // accept loop (accepted while the listener closes) is closed here, not left to trap.
        let unserved = NIOLockedValueBox<[ObjectIdentifier: Connection]>([:])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    let connection = try Connection(wrappingChannelSynchronously: channel)
                    unserved.withLockedValue { $0[ObjectIdentifier(channel)] = connection }
                    return connection
                }
            }
        let port = channel.channel.localAddress?.port ?? port
        let server = TestServer(baseURL: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)", port: port)
        // Stopping is graceful, as Hummingbird's is: the listening socket is closed and every
        // connection it accepted is still handed to `serve` (which then stops at once). A
        // connection left in the accept stream, as cancelling the loop would leave one that a
        // client opened at the last moment, is an `NIOAsyncChannel` never closed: NIO traps.
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await channel.executeThenClose { inbound in
                    try await withThrowingDiscardingTaskGroup { connections in
                        for try await connection in inbound {
                            unserved.withLockedValue { _ = $0.removeValue(forKey: ObjectIdentifier(connection.channel)) }
                            connections.addTask { await server.serve(connection, handler: handler) }
                        }
                        connections.cancelAll()
                    }
                }
            }
            let result: Result<Value, any Error>
            do {
                result = .success(try await body(server))
            } catch {
                result = .failure(error)
            }
            try? await channel.channel.close()
            try? await group.waitForAll()
            for connection in unserved.withLockedValue({ Array($0.values) }) {
                try? await connection.executeThenClose { _, _ in }
            }
            return try result.get()
        }
    }

    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private func serve(_ connection: Connection, handler: Handler) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let started):
                    head = started
                    body = []
                case .body(let bytes):
                    body += bytes.readableBytesView
                case .end:
                    guard let head else { return }
                    let request = Request(method: head.method, uri: head.uri, headers: head.headers, body: body)
                    recorded.withLockedValue { $0.append(request) }
                    switch await handler(request) {
                    case .respond(let status, let headers, let bytes):
                        var fields = HTTPHeaders(headers)
                        fields.replaceOrAdd(name: "Content-Length", value: "\(bytes.count)")
                        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: fields)))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
                        try await outbound.write(.end(nil))
                    case .stallAfterHead(let status, let headers, let bytes):
                        var fields = HTTPHeaders(headers)
                        fields.replaceOrAdd(name: "Content-Length", value: "\(bytes.count + 1_000_000)")
                        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: fields)))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
                        try await Task.sleep(for: .seconds(600))
                    case .stall:
                        try await Task.sleep(for: .seconds(600))
                    case .close:
                        return
                    case .reset:
                        try await (connection.channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                            .get()
                        return
                    }
                }
            }
        }
    }
}
