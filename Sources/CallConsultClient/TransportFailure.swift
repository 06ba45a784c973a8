import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the client can tell of AsyncHTTPClient's and NIO's errors: whether one proves that no
/// byte of the request left the client (so a command was certainly not delivered, and may be
/// retried), whether it is a timeout, and a short reason for the error's message.
///
/// Why "nothing was sent" is provable, in AsyncHTTPClient 1.37.0: a request waits in the
/// connection pool's queue until a connection is handed to it, and a connection is handed over
/// only once it is connected and its TLS handshake done (`HTTPConnectionPool+Factory.swift`). The
/// failure of a connection being made reaches only requests still in the queue
/// (`failedToCreateNewConnection` fails the waiting requests, with `retryConnectionEstablishment`
/// off, or keeps it as `lastConnectFailure` for the request whose deadline passes in the queue:
/// `timeoutRequest`); a request that was handed a connection fails instead with that
/// connection's errors (a reset, `remoteConnectionClosed`, `readTimeout`, `deadlineExceeded`, …).
/// So the errors that only connecting produces, and only with a handshake under way, prove it:
/// ``happenedBeforeSending(_:bodyWasRead:)`` lists them. An error type both phases can produce
/// (an `IOError`, a TLS error other than a failed handshake, `NIOSSLError.uncleanShutdown`) proves
/// nothing and is never retried.
///
/// The second proof is the body: AsyncHTTPClient asks a request for its body only right after it
/// has written the request's head to the connection (`resumeRequestBodyStream`, called from
/// `headSent`). Both bodies the client sends record that moment (``RequestBody`` and
/// ``OneShotBody``): a body that was read means the head was written, whatever the error says.
enum TransportFailure {
    /// Whether `error` proves that no byte of the request left the client: connect refused or
    /// timed out, the name not resolved, the TLS handshake failed, or no connection from the
    /// pool in time; and the body was never read (`bodyWasRead`: AsyncHTTPClient reads it just
    /// after writing the head). Anything else (a reset, a connection closed before the whole
    /// answer, a read timeout) may have come after the server read the request.
    static func happenedBeforeSending(_ error: any Error, bodyWasRead: Bool) -> Bool {
        guard !bodyWasRead else { return false }
        switch error {
        case let error as HTTPClientError:
            return [.connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout, .invalidURL, .emptyHost]
                .contains(error)
        case is NIOConnectionError, is SocketAddressError, is NIOSSLExtraError:
            // Only `ClientBootstrap.connect` (Happy Eyeballs: each address's connect, and the
            // name's resolution), and NIOSSL's validation of the server's name in the handshake.
            return true
        case let error as NIOSSLError:
            if case .handshakeFailed = error { return true }
            return false
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        case let error as IOError:
            // A connect to an IP address is not wrapped in a `NIOConnectionError`: NIO reports the
            // socket's error. TCP gives ECONNREFUSED only for a reset answering its SYN (Linux's
            // `tcp_reset` in SYN_SENT; a reset of an established connection is ECONNRESET or
            // EPIPE): the connection never existed. Other errnos (ETIMEDOUT, EHOSTUNREACH) can end
            // an established connection too, and prove nothing.
            return error.errnoCode == ECONNREFUSED
        default:
            return false
        }
    }

    /// A timeout AsyncHTTPClient reports before the call's own deadline: connecting, the TLS
    /// handshake, or a read timeout of the `HTTPClient`'s configuration.
    static func isTimeout(_ error: any Error) -> Bool {
        guard let error = error as? HTTPClientError else {
            if case ChannelError.connectTimeout = error { return true }
            return false
        }
        return [.connectTimeout, .tlsHandshakeTimeout, .readTimeout, .writeTimeout, .deadlineExceeded].contains(error)
    }

    /// A short reason for `error`: "connection refused", "the name … could not be resolved", … for
    /// a failed connect (NIO describes a refused connect as "connection reset (error set):
    /// Connection refused (errno: 111)", alone for an IP address or inside a `NIOConnectionError`
    /// that lists every address of a name);
    /// the error's own description otherwise.
    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return "connection refused" }
        guard let error = error as? NIOConnectionError else { return String(describing: error) }
        let codes = error.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }
        if codes.contains(ECONNREFUSED) { return "connection refused" }
        if codes.contains(ETIMEDOUT) { return "connect timed out" }
        if codes.contains(EHOSTUNREACH) { return "host unreachable" }
        if codes.contains(ENETUNREACH) { return "network unreachable" }
        if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
            return "the name \(error.host) could not be resolved"
        }
        if let first = error.connectionErrors.first { return "could not connect to \(first.target): \(first.error)" }
        return String(describing: error)
    }
}
