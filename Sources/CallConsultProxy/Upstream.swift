import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Where requests go, how a connection to it is opened, and which header fields cross the proxy.
struct Upstream: Sendable {
    /// `http` or `https`, lower-cased.
    let scheme: String
    /// The host to connect to, without the brackets of an IPv6 literal.
    let host: String
    /// The port to connect to (the scheme's own when the URL names none).
    let port: Int
    /// The upstream URL's path, without a trailing `/`: put before every request's target.
    let basePath: String
    /// The `Host` field every forwarded request carries: the host, and the port unless it is the
    /// scheme's own.
    let hostField: String
    /// The TLS context of an `https` upstream, or why it could not be made; `nil` for `http`.
    let tls: Result<NIOSSLContext, any Error>?
    /// The address of an upstream named by an IP literal: connected to without a resolver (whose
    /// lookups run on a thread of their own); `nil` for a name.
    let address: SocketAddress?

    init(_ url: URL, tlsConfiguration: TLSConfiguration?) {
        scheme = (url.scheme ?? "").lowercased()
        var host = url.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        let defaultPort = scheme == "https" ? 443 : 80
        port = url.port ?? defaultPort
        // Still percent-encoded, as it goes on the request line.
        var path = url.path(percentEncoded: true)
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        let literal = host.contains(":") ? "[\(host)]" : host
        hostField = port == defaultPort ? literal : "\(literal):\(port)"
        if scheme == "https" {
            tls = Result { try NIOSSLContext(configuration: tlsConfiguration ?? .makeClientConfiguration()) }
        } else {
            tls = nil
        }
        address = try? SocketAddress(ipAddress: host, port: port)
    }

    /// Opens a connection on `eventLoop` (the client connection's: no thread hop on the way),
    /// with an HTTP/1.1 client pipeline, TLS for `https`, and `handler` last.
    func connect(on eventLoop: any EventLoop, handler: UpstreamHandler) -> EventLoopFuture<any Channel> {
        guard scheme == "http" || scheme == "https", !host.isEmpty else {
            return eventLoop.makeFailedFuture(UnsupportedUpstream(scheme: scheme))
        }
        let sslContext: NIOSSLContext?
        switch tls {
        case .none: sslContext = nil
        case .success(let context): sslContext = context
        case .failure(let error): return eventLoop.makeFailedFuture(error)
        }
        // The name for SNI and the certificate check; an IP literal is checked against the
        // address instead (SNI carries no address).
        let serverName = address == nil ? host : nil
        let bound = NIOLoopBound(handler, eventLoop: eventLoop)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let sslContext {
                        try sync.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    // Requests go out as bytes (``request(_:body:allocator:)``); answers are decoded.
                    try sync.addHandler(ByteToMessageHandler(bound.value.decoder))
                    try sync.addHandler(bound.value)
                }
            }
        if let address { return bootstrap.connect(to: address) }
        return bootstrap.connect(host: host, port: port)
    }

    /// An upstream URL whose scheme is neither `http` nor `https`, or that names no host.
    struct UnsupportedUpstream: Error, CustomStringConvertible {
        /// The URL's scheme, lower-cased (empty when it has none).
        var scheme: String
        /// `the upstream URL is not http(s)://host (scheme '…')`.
        var description: String { "the upstream URL is not http(s)://host (scheme '\(scheme)')" }
    }

    /// The hop-by-hop fields (RFC 9110 §7.6.1), `Host` and `Content-Length`, lower-cased: they
    /// describe one connection, or are recomputed for the same body.
    static let dropped: [String] = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// The names the `Connection` fields of `headers` list, lower-cased: hop-by-hop too.
    static func connectionOptions(_ headers: HTTPHeaders) -> [String] {
        guard headers.contains(name: "connection") else { return [] }
        return headers[canonicalForm: "connection"].map { $0.lowercased() }
    }

    /// ``dropped`` by length: most names have a length none of them has, and are told so at once.
    private static let droppedByLength: [[String]] = {
        var table = [[String]](repeating: [], count: (dropped.map(\.utf8.count).max() ?? 0) + 1)
        for name in dropped { table[name.utf8.count].append(name) }
        return table
    }()

    /// Whether the field `name` does not cross the proxy: a dropped one or a connection option.
    static func isDropped(_ name: String, options: [String]) -> Bool {
        let length = name.utf8.count
        if length < droppedByLength.count, droppedByLength[length].contains(where: { name.equalsIgnoringASCIICase($0) }) {
            return true
        }
        return !options.isEmpty && options.contains { name.equalsIgnoringASCIICase($0) }
    }

    /// The request sent upstream for `head` and `body`, as it goes on the wire: the request line
    /// with the upstream's target, the upstream's `Host`, the client's fields but the dropped ones
    /// and `Expect` (the proxy has read the whole body already), `Content-Length` recomputed, then
    /// the body.
    func request(_ head: HTTPRequestHead, body: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        let options = Self.connectionOptions(head.headers)
        var wire = WireHead(fields: head.headers.count + 2)
        wire.append(head.method.rawValue)
        wire.append(" ")
        wire.append(basePath)
        let uri = head.uri
        if uri.utf8.first != UInt8(ascii: "/") { wire.append("/") }
        wire.append(uri)
        wire.append(" HTTP/1.1\r\n")
        wire.appendField("Host", hostField)
        for (name, value) in head.headers {
            if Self.isDropped(name, options: options) || name.equalsIgnoringASCIICase("expect") { continue }
            wire.appendField(name, value)
        }
        if body.readableBytes > 0 || (head.method != .GET && head.method != .HEAD) {
            wire.appendField("Content-Length", String(body.readableBytes))
        }
        return wire.message(body: body, allocator: allocator)
    }

    /// Appends the upstream's fields to answer with, in their order (its `Content-Length` kept in
    /// place: the body is the same bytes, read whole), and returns whether a `Content-Length` was
    /// among them.
    static func appendReturned(_ headers: HTTPHeaders, to wire: inout WireHead) -> Bool {
        let options = connectionOptions(headers)
        var hasContentLength = false
        for (name, value) in headers {
            if name.equalsIgnoringASCIICase("content-length") {
                hasContentLength = true
            } else if isDropped(name, options: options) {
                continue
            }
            wire.appendField(name, value)
        }
        return hasContentLength
    }
}

extension String {
    /// Whether the string equals `lowercase` (lower-case ASCII) but for the case of ASCII letters.
    fileprivate func equalsIgnoringASCIICase(_ lowercase: String) -> Bool {
        guard utf8.count == lowercase.utf8.count else { return false }
        let compared = utf8.withContiguousStorageIfAvailable { bytes in
            lowercase.utf8.withContiguousStorageIfAvailable { other in
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    let lower = other[index]
                    guard byte == lower || (byte >= 0x41 && byte <= 0x5A && byte | 0x20 == lower) else { return false }
                }
                return true
            }
        }
        if let compared, let compared { return compared }
        return utf8.elementsEqual(lowercase.utf8) { byte, lower in
            byte == lower || (byte >= 0x41 && byte <= 0x5A && byte | 0x20 == lower)
        }
    }
}
