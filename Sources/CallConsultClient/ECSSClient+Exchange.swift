import AsyncHTTPClient
import CallConsultKit
import Logging
import NIOCore
import NIOHTTP1

/// One HTTP exchange with ECSS-10: the request sent and the answer read, bounded.
extension ECSSClient {
    /// An answer as it came: status, content type, `Set-Cookie` values and at most
    /// `limits.maxBodyBytes + 1` bytes of body.
    struct Reply: Sendable {
        var status: Int
        var contentType: String?
        var setCookies: [String]
        var body: [UInt8]
    }

    /// The secrets no error, excerpt or log line may show: the API key and the session's cookie
    /// values.
    func secrets(_ jar: CookieJar? = nil) -> [String] {
        [configuration.credentials.apiKey] + (jar?.cookies.map(\.value) ?? [])
    }

    /// POSTs `body` to `command` with `cookie`, and reads the answer up to the size limit.
    ///
    /// - Throws: ``ECSSClientError`` (transport or timeout), or `CancellationError` when the task
    ///   was cancelled (by its caller or by the deadline).
    func exchange(
        _ command: String, body: [UInt8], cookie: String?, deadline: ContinuousClock.Instant, isCommand: Bool,
        progress: CommandProgress, logger: Logger
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: endpoint.url(of: command))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: CallConsultResponse.contentType)
        request.headers.add(name: "Accept", value: "application/xml, text/xml, text/plain")
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        // A single-pass body: AsyncHTTPClient then never follows a redirect (which would re-POST
        // a command that is not idempotent, or carry it elsewhere); a 3xx is an unexpected status.
        let buffer = ByteBuffer(bytes: body)
        request.body = .stream(
            AsyncStream {
                $0.yield(buffer)
                $0.finish()
            }, length: .known(Int64(body.count)))
        let remaining = deadline - ContinuousClock.now
        let nioDeadline = NIODeadline.now() + .nanoseconds(Self.nanoseconds(max(remaining, .zero)))
        if isCommand { progress.mayHaveBeenDelivered = true }
        logger.trace(
            "ecss request", metadata: ["ecss.command": .string(command), "ecss.path": .string(endpoint.path(of: command))])
        do {
            // The caller's logger is not handed on: at trace level AsyncHTTPClient logs whole answer
            // heads, session cookies included.
            let response = try await httpClient.execute(request, deadline: nioDeadline)
            let limit = configuration.limits.maxBodyBytes + 1
            var bytes: [UInt8] = []
            for try await chunk in response.body {
                bytes += chunk.readableBytesView.prefix(limit - bytes.count)
                if bytes.count >= limit { break }  // the rest is never read; the connection is closed
            }
            if Task.isCancelled { throw CancellationError() }
            return Reply(
                status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
                setCookies: response.headers["Set-Cookie"], body: bytes)
        } catch let error as CancellationError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw transportError(error, command: command, isCommand: isCommand, deadline: deadline)
        }
    }

    /// The failure of an exchange as an ``ECSSClientError``: timeout when the deadline has passed
    /// or a connect or handshake timed out, transport otherwise.
    private func transportError(_ error: any Error, command: String, isCommand: Bool, deadline: ContinuousClock.Instant)
        -> ECSSClientError
    {
        let beforeSending = TransportFailure.happenedBeforeSending(error)
        let delivered = isCommand && !beforeSending
        let cause: any Error & Sendable = error
        let reason = Excerpt.hide(secrets(), in: String(describing: error))
        if ContinuousClock.now >= deadline || TransportFailure.isTimeout(error) {
            return ECSSClientError(
                kind: .timeout, message: "\(command): no answer within the timeout (\(reason))", mayHaveBeenDelivered: delivered,
                cause: cause)
        }
        let phase = beforeSending ? "could not connect to \(endpoint.origin)" : "the connection to \(endpoint.origin) failed"
        return ECSSClientError(
            kind: .transport, message: "\(command): \(phase): \(reason)", mayHaveBeenDelivered: delivered, cause: cause)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
