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

/// What the client can tell of AsyncHTTPClient's and NIO's errors: whether one came before the
/// request could be sent (so a command was certainly not delivered), and whether it is a timeout.
enum TransportFailure {
    /// Connect refused or timed out, the name not resolved, the TLS handshake failed: the request
    /// never left. Anything else (a reset, a connection closed before the whole answer) may have
    /// come after the server read the request.
    static func happenedBeforeSending(_ error: any Error) -> Bool {
        switch error {
        case let error as HTTPClientError:
            return [.connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout, .invalidURL, .emptyHost]
                .contains(error)
        case is NIOConnectionError, is NIOSSLError, is BoringSSLError, is SocketAddressError:
            return true
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        case let error as IOError:
            return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(error.errnoCode)
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
}
