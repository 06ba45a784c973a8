import AsyncHTTPClient
import CallConsultKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Answers every request: reads it (bounded), checks it, forwards it, reads the answer
/// (bounded), checks it, reports the exchange, and passes the answer back.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct ProxyResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let proxy: ECSSProxy
    let client: HTTPClient
    let upstream: Upstream
    let check: ExchangeCheck

    init(proxy: ECSSProxy, client: HTTPClient, upstream: Upstream) {
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.check = ExchangeCheck(codec: CallConsultCodec(limits: proxy.configuration.limits))
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let path = request.uri.path
        let target = ExchangeCheck.Target(path: path)
        let command = target.flatMap { CommandName(rawValue: $0.name) }
        var exchange = ECSSProxy.Exchange(
            time: Date(), method: request.method.rawValue, path: path, domain: target?.domain, command: command, status: 0,
            request: nil, requestValid: nil, responseValid: nil, response: nil, issues: [], failure: nil,
            duration: .zero)
        let response = await answer(request, command: command, exchange: &exchange)
        exchange.status = response.status.code
        exchange.duration = ContinuousClock.now - started
        proxy.onExchange(exchange)
        return response
    }

    private func answer(_ request: Request, command: CommandName?, exchange: inout ECSSProxy.Exchange) async -> Response {
        let limit = proxy.configuration.limits.maxBodyBytes
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            return failed(
                .init(kind: .requestTooLarge, status: 413, message: "the request body is over \(limit) bytes"), &exchange)
        } catch {
            return failed(
                .init(kind: .requestUnreadable, status: 400, message: "the request body could not be read: \(error)"),
                &exchange)
        }
        let checked = request.method == .post ? command : nil
        if let checked {
            switch check.request(body, command: checked) {
            case .success(let decoded):
                exchange.request = decoded
                exchange.requestValid = true
            case .failure(let error):
                exchange.requestValid = false
                exchange.issues = error.issues.map {
                    .init(which: .request, line: $0.line, column: $0.column, message: $0.message)
                }
                if proxy.configuration.strict {
                    exchange.failure = .init(
                        kind: .invalidRequest, status: 400, message: "the request is not valid: \(error.kind.code)")
                    return Self.text(400, "\(error)\n")
                }
            }
        }
        let answer: (head: HTTPClientResponse, body: ByteBuffer)
        switch await forward(request, body: body) {
        case .success(let forwarded): answer = forwarded
        case .failure(let failure): return failed(failure, &exchange)
        }
        if let checked, checked.hasResponseDocument,
            ExchangeCheck.isXML(contentType: answer.head.headers.first(name: "content-type"), body: answer.body)
        {
            switch check.response(answer.body, command: checked) {
            case .success(let decoded):
                exchange.response = decoded
                exchange.responseValid = true
            case .failure(let error):
                exchange.responseValid = false
                exchange.issues += error.issues.map {
                    .init(which: .response, line: $0.line, column: $0.column, message: $0.message)
                }
            }
        }
        return Response(
            status: .init(code: Int(answer.head.status.code)), headers: Upstream.returned(answer.head.headers),
            body: .init(byteBuffer: answer.body))
    }

    /// Sends the request on and reads the whole answer, within the upstream timeout.
    private func forward(_ request: Request, body: ByteBuffer) async -> Result<
        (head: HTTPClientResponse, body: ByteBuffer), ECSSProxy.Failure
    > {
        let configuration = proxy.configuration
        var outgoing = HTTPClientRequest(url: upstream.url(for: request.head.path ?? "/"))
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        outgoing.headers = Upstream.forwarded(request.headers)
        if body.readableBytes > 0 || ![.get, .head].contains(request.method) { outgoing.body = .bytes(body) }
        let timeout = configuration.upstreamTimeout
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout / .nanoseconds(1)))
        do {
            let head = try await client.execute(outgoing, deadline: deadline, logger: proxy.logger)
            do {
                let answer = try await head.body.collect(upTo: configuration.limits.maxBodyBytes)
                return .success((head, answer))
            } catch is NIOTooManyBytesError {
                return .failure(
                    .init(
                        kind: .answerTooLarge, status: 502,
                        message: "the upstream's answer is over \(configuration.limits.maxBodyBytes) bytes"))
            }
        } catch {
            return .failure(Self.failure(error, timeout: timeout))
        }
    }

    /// What a transport error means for the client: 504 for silence, 502 for the rest.
    static func failure(_ error: any Error, timeout: Duration) -> ECSSProxy.Failure {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return .init(kind: .upstreamTimeout, status: 504, message: "the upstream did not answer within \(timeout)")
            case .remoteConnectionClosed:
                return .init(kind: .upstreamGarbage, status: 502, message: "the upstream closed the connection before answering")
            case .connectTimeout:
                return .init(
                    kind: .upstreamUnreachable, status: 502, message: "the upstream did not accept the connection in time")
            default:
                return .init(kind: .upstreamUnreachable, status: 502, message: "the upstream could not be reached: \(error)")
            }
        }
        if error is HTTPParserError {
            return .init(kind: .upstreamGarbage, status: 502, message: "the upstream's answer is not HTTP: \(error)")
        }
        return .init(kind: .upstreamUnreachable, status: 502, message: "the upstream could not be reached: \(error)")
    }

    private func failed(_ failure: ECSSProxy.Failure, _ exchange: inout ECSSProxy.Exchange) -> Response {
        exchange.failure = failure
        return Self.text(failure.status, "\(failure.message)\n")
    }

    /// A plain-text answer of the proxy's own.
    static func text(_ status: Int, _ text: String) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
