import AsyncHTTPClient
import CallConsultKit
import Logging
import NIOCore
import NIOHTTP1

/// One HTTP exchange with ECSS-10: the request sent and the answer read, bounded.
extension ECSSClient {
    /// An answer as it came: status, content type, `Set-Cookie` values (of a login; a command's
    /// are not read) and at most `limits.maxBodyBytes + 1` bytes of body.
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

    /// POSTs `body` to `command` with `cookie` (made from `jar`, whose values no error shows), and
    /// reads the answer up to the size limit. `progress` is the call's, for a command (marked as
    /// may have been delivered just before the request is handed over); `nil` for a login.
    ///
    /// - Throws: ``ECSSClientError`` (transport or timeout), or `CancellationError` when the task
    ///   was cancelled (by its caller or by the deadline).
    func exchange(
        _ command: CommandName, body: [UInt8], cookie: String?, jar: CookieJar?, deadline: ContinuousClock.Instant,
        progress: CommandProgress?, logger: Logger
    ) async throws -> Reply {
        let isCommand = progress != nil
        var request = HTTPClientRequest(url: endpoint.url(of: command.rawValue))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: CommandResponse.contentType)
        request.headers.add(name: "Accept", value: "application/xml, text/xml, text/plain")
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        // Either body records whether AsyncHTTPClient read it, which it does just after writing
        // the head: a failure before that sent nothing (see `TransportFailure`).
        let bodyWasRead: @Sendable () -> Bool
        if httpClientFollowsNoRedirects {
            // The client's own `HTTPClient` gives any 3xx back as it is: the bytes are never sent
            // twice, and are written with the head, without a task of their own.
            let bytes = RequestBody(body)
            request.body = .bytes(bytes, length: .known(Int64(body.count)))
            bodyWasRead = { bytes.wasRead }
        } else {
            // A borrowed `HTTPClient` may follow redirects. A single-pass body (an `AsyncSequence`,
            // which AsyncHTTPClient never replays) keeps it from sending the bytes twice. That
            // alone does not stop redirects: on 301, 302 and 303 an `HTTPClient` that follows them
            // (`.shared` does) switches to a GET without a body and sends it; on 307 and 308 it
            // gives the 3xx back. AsyncHTTPClient has no per-request redirect setting, so
            // `redirected` below refuses any answer reached through a redirect: the command is
            // never resent after one.
            let oneShot = OneShotBody(body)
            request.body = .stream(oneShot, length: .known(oneShot.length))
            bodyWasRead = { oneShot.wasRead }
        }
        let nioDeadline = Self.nioDeadline(deadline)
        progress?.mayHaveBeenDelivered = true
        logger.trace(
            "ecss request",
            metadata: ["ecss.command": .string(command.rawValue), "ecss.path": .string(endpoint.path(of: command.rawValue))])
        do {
            // The caller's logger is not handed on: at trace level AsyncHTTPClient logs whole answer
            // heads, session cookies included.
            let response = try await httpClient.execute(request, deadline: nioDeadline)
            if let error = redirected(response, command: command, isCommand: isCommand, jar: jar) { throw error }
            // `maxBodyBytes` is never negative (`init` refuses it); `.max` saturates.
            let limit =
                configuration.limits.maxBodyBytes.addingReportingOverflow(1).overflow
                ? Int.max : configuration.limits.maxBodyBytes + 1
            var bytes: [UInt8] = []
            for try await chunk in response.body {
                bytes += chunk.readableBytesView.prefix(limit - bytes.count)
                if bytes.count >= limit { break }  // the rest is never read; the connection is closed
            }
            if Task.isCancelled { throw CancellationError() }
            return Reply(
                status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
                setCookies: isCommand ? [] : response.headers["Set-Cookie"], body: bytes)
        } catch let error as CancellationError {
            throw error
        } catch let error as ECSSClientError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw transportError(
                error, command: command, isCommand: isCommand, bodyWasRead: bodyWasRead(), deadline: deadline)
        }
    }

    /// ``ECSSClientError/Kind/unexpectedStatus`` when the answer is a redirect (a 3xx with a
    /// `Location`), or was reached through one the `HTTPClient` followed (its history holds more
    /// than one exchange: the error then has the first answer's status); `nil` otherwise. A
    /// redirect is never followed, and the answer at the end of one that was is ignored: it is
    /// not ECSS-10's answer to the command. The `Location` quoted hides the API key and the values
    /// of the session's cookies (`jar`): a server that rewrites URLs puts the session there.
    private func redirected(_ response: HTTPClientResponse, command: CommandName, isCommand: Bool, jar: CookieJar?)
        -> ECSSClientError?
    {
        let followed = response.history.count > 1
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        if followed, let first = response.history.first?.responseHead {
            (status, headers) = (first.status, first.headers)
        } else if (300..<400).contains(response.status.code), response.headers.contains(name: "Location") {
            (status, headers) = (response.status, response.headers)
        } else {
            return nil
        }
        let location = headers.first(name: "Location").map { Excerpt.make(Array($0.utf8), hiding: secrets(jar)) }
        return ECSSClientError(
            kind: .unexpectedStatus, status: Int(status.code),
            message: "ECSS-10 answered \(command) with a redirect (status \(status.code)"
                + (location.map { " to \($0)" } ?? "") + "), which is never followed"
                + (followed
                    ? "; the HTTPClient, which follows redirects, sent a request there whose answer was ignored" : ""),
            mayHaveBeenDelivered: isCommand, contentType: headers.first(name: "Content-Type"))
    }

    /// The failure of an exchange as an ``ECSSClientError``: timeout when the deadline has passed
    /// or a connect or handshake timed out, transport otherwise; marked ``ECSSClientError/nothingSent``
    /// when `error` proves no byte of the request left (`bodyWasRead`: AsyncHTTPClient had
    /// written the head).
    private func transportError(
        _ error: any Error, command: CommandName, isCommand: Bool, bodyWasRead: Bool, deadline: ContinuousClock.Instant
    ) -> ECSSClientError {
        let beforeSending = TransportFailure.happenedBeforeSending(error, bodyWasRead: bodyWasRead)
        let delivered = isCommand && !beforeSending
        let cause: any Error & Sendable = error
        let reason = Excerpt.hide(secrets(), in: TransportFailure.reason(error))
        var failure: ECSSClientError
        if ContinuousClock.now >= deadline || TransportFailure.isTimeout(error) {
            failure = ECSSClientError(
                kind: .timeout, message: "\(command): no answer within the timeout (\(reason))", mayHaveBeenDelivered: delivered,
                cause: cause)
        } else {
            let phase =
                beforeSending ? "could not connect to \(endpoint.origin)" : "the connection to \(endpoint.origin) failed"
            failure = ECSSClientError(
                kind: .transport, message: "\(command): \(phase): \(reason)", mayHaveBeenDelivered: delivered, cause: cause)
        }
        failure.nothingSent = beforeSending
        return failure
    }

    /// `deadline` as the `NIODeadline` it is on NIO's clock (now if it has passed).
    static func nioDeadline(_ deadline: ContinuousClock.Instant) -> NIODeadline {
        NIODeadline.now() + .nanoseconds(nanoseconds(max(deadline - ContinuousClock.now, .zero)))
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
