import CallConsultProxy
import Foundation
import TestSupport
import XCTest

/// What the proxy writes on the wire itself, byte for byte, over real sockets: `HEAD`, HTTP/1.0,
/// `Connection: close`, `100 Continue`, requests it cannot parse, chunked bodies, hop-by-hop fields.
final class ProxyWireTests: XCTestCase {
    /// Runs a proxy in front of an echo ``TestUpstream``; `body` gets the proxy's port, the
    /// upstream's `Host` field as the proxy writes it, and the exchanges reported so far.
    private func withEchoProxy(
        _ body: (_ port: Int, _ host: String, _ exchanges: ExchangeBox) async throws -> Void
    ) async throws {
        let upstream = try await TestUpstream(.echo)
        let exchanges = ExchangeBox()
        let configuration = ECSSProxy.Configuration(
            upstream: try XCTUnwrap(URL(string: "http://127.0.0.1:\(upstream.port)")), port: 0)
        do {
            try await ECSSProxy.withRunning(configuration: configuration, onExchange: exchanges.append) { _, port in
                try await body(port, "127.0.0.1:\(upstream.port)", exchanges)
            }
        } catch {
            await upstream.close()
            throw error
        }
        await upstream.close()
    }

    /// The echo upstream's answer fields (but `Content-Length`) as they reach the client.
    private static let echoFields = [
        "content-type: application/octet-stream", "set-cookie: A=1; Path=/", "set-cookie: B=2; HttpOnly",
        "x-custom: kept",
    ]

    func testTheAnswerToAHeadHasTheUpstreamsFieldsAndNoBody() async throws {
        try await withEchoProxy { port, host, exchanges in
            let (head, next) = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send("HEAD /h HTTP/1.1\r\nHost: proxy.test\r\nX-Probe: 1\r\n\r\n")
                let head = connection.readMessage(bodyless: true)
                // A body after the head would be read as the start of the next answer.
                connection.send("GET /next HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n")
                return (head, connection.readMessage())
            }
            let answer = try XCTUnwrap(head)
            XCTAssertEqual(answer.statusLine, "HTTP/1.1 202 Accepted")
            let echoed = "HEAD /h\nHost: \(host)\nX-Probe: 1\n\n"
            XCTAssertEqual(answer.lines, Self.echoFields + ["content-length: \(echoed.utf8.count)"])
            XCTAssertEqual(answer.body, [])
            XCTAssertEqual(next?.statusLine, "HTTP/1.1 202 Accepted")
            XCTAssertEqual(next?.text, "GET /next\nHost: \(host)\n\n")
            XCTAssertEqual(exchanges.all.map(\.method), ["HEAD", "GET"])
            XCTAssertEqual(exchanges.all.map(\.status), [202, 202])
        }
    }

    func testAnHTTP10ClientGetsAnHTTP10AnswerAndTheConnectionCloses() async throws {
        try await withEchoProxy { port, host, _ in
            let (answer, closed) = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send("GET /old HTTP/1.0\r\n\r\n")
                return (connection.readMessage(), connection.isClosedByServer())
            }
            let message = try XCTUnwrap(answer)
            XCTAssertEqual(message.statusLine, "HTTP/1.0 202 Accepted")
            XCTAssertEqual(message.values("connection"), [], "HTTP/1.0 closes by default")
            XCTAssertEqual(message.text, "GET /old\nHost: \(host)\n\n")
            XCTAssertTrue(closed, "the proxy closes after the answer")
        }
    }

    func testAnHTTP10KeepAliveClientIsAnsweredKeepAliveAndKeepsItsConnection() async throws {
        try await withEchoProxy { port, host, _ in
            let answers = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send("GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let first = connection.readMessage()
                connection.send("GET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                return [first, connection.readMessage()]
            }
            XCTAssertEqual(answers.map { $0?.statusLine }, ["HTTP/1.0 202 Accepted", "HTTP/1.0 202 Accepted"])
            XCTAssertEqual(answers.map { $0?.values("connection") }, [["keep-alive"], ["keep-alive"]])
            XCTAssertEqual(answers.map { $0?.text }, ["GET /1\nHost: \(host)\n\n", "GET /2\nHost: \(host)\n\n"])
        }
    }

    func testConnectionCloseIsAnsweredConnectionCloseThenTheProxyCloses() async throws {
        try await withEchoProxy { port, _, _ in
            let (answer, closed) = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send("GET /bye HTTP/1.1\r\nHost: proxy.test\r\nConnection: close\r\n\r\n")
                return (connection.readMessage(), connection.isClosedByServer())
            }
            let message = try XCTUnwrap(answer)
            XCTAssertEqual(message.statusLine, "HTTP/1.1 202 Accepted")
            XCTAssertEqual(message.values("connection"), ["close"])
            XCTAssertTrue(closed)
        }
    }

    func testExpectContinueIsAnsweredAtOnceAndNotForwarded() async throws {
        try await withEchoProxy { port, host, _ in
            let (proceed, answer) = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send(
                    "POST /e HTTP/1.1\r\nHost: proxy.test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                let proceed = String(decoding: connection.read(count: 25), as: UTF8.self)
                connection.send("hello")
                return (proceed, connection.readMessage())
            }
            XCTAssertEqual(proceed, "HTTP/1.1 100 Continue\r\n\r\n", "before the body was sent")
            let message = try XCTUnwrap(answer)
            XCTAssertEqual(message.status, 202)
            XCTAssertEqual(message.text, "POST /e\nHost: \(host)\nContent-Length: 5\n\nhello")
        }
    }

    func testAnHTTP10ClientExpectingContinueGetsNoInterimAnswer() async throws {
        try await withEchoProxy { port, _, _ in
            let answer = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send(
                    "POST /e HTTP/1.0\r\nHost: proxy.test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello")
                return connection.readMessage()
            }
            // RFC 9110 §15.2: no 1xx to an HTTP/1.0 client; its first answer is the final one.
            let message = try XCTUnwrap(answer)
            XCTAssertEqual(message.statusLine, "HTTP/1.0 202 Accepted")
        }
    }

    func testABadChunkSizeIsAnswered400AndReportedUnreadable() async throws {
        try await withEchoProxy { port, _, exchanges in
            let (answer, closed) = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send("POST /bad HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n")
                return (connection.readMessage(), connection.isClosedByServer())
            }
            try Self.assertUnreadable(answer, closed: closed)
            let seen = exchanges.all
            XCTAssertEqual(seen.map(\.path), ["/bad"])
            XCTAssertEqual(seen.map(\.status), [400])
            XCTAssertEqual(seen.map { $0.failure?.kind }, [.requestUnreadable])
            XCTAssertEqual(seen.map { $0.failure?.status }, [400])
        }
    }

    func testAnHTTP10ClientsUnreadableBodyIsAnsweredInHTTP10() async throws {
        try await withEchoProxy { port, _, exchanges in
            let (answer, closed) = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send("POST /bad HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n")
                return (connection.readMessage(), connection.isClosedByServer())
            }
            try Self.assertUnreadable(answer, closed: closed, version: "HTTP/1.0")
            XCTAssertEqual(exchanges.all.map { $0.failure?.kind }, [.requestUnreadable])
        }
    }

    func testAGarbageRequestLineIsAnswered400AndClosed() async throws {
        try await withEchoProxy { port, _, exchanges in
            let (answer, closed) = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send("THIS IS NOT HTTP\u{1}\r\n\r\n")
                return (connection.readMessage(), connection.isClosedByServer())
            }
            try Self.assertUnreadable(answer, closed: closed)
            XCTAssertEqual(exchanges.all.count, 0, "no head came: no exchange")
        }
    }

    func testAValidRequestBeforeGarbageIsAnsweredFirstThen400ThenClose() async throws {
        try await withEchoProxy { port, host, exchanges in
            let (first, refusal, closed) = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send("GET /first HTTP/1.1\r\nHost: proxy.test\r\n\r\n\u{1}GARBAGE\r\n\r\n")
                return (connection.readMessage(), connection.readMessage(), connection.isClosedByServer())
            }
            let answer = try XCTUnwrap(first)
            XCTAssertEqual(answer.statusLine, "HTTP/1.1 202 Accepted")
            XCTAssertEqual(answer.text, "GET /first\nHost: \(host)\n\n")
            try Self.assertUnreadable(refusal, closed: closed)
            XCTAssertEqual(exchanges.all.map(\.path), ["/first"])
        }
    }

    func testAChunkedBodyIsForwardedWholeWithAContentLength() async throws {
        try await withEchoProxy { port, host, exchanges in
            let answer = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send(
                    "POST /c HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
                return connection.readMessage()
            }
            let message = try XCTUnwrap(answer)
            XCTAssertEqual(message.status, 202)
            XCTAssertEqual(message.text, "POST /c\nHost: \(host)\nContent-Length: 11\n\nhello world")
            XCTAssertEqual(exchanges.all.map(\.status), [202])
        }
    }

    func testHopByHopRequestFieldsAreDropped() async throws {
        try await withEchoProxy { port, host, _ in
            let answer = try await blocking {
                let connection = try RawConnection(port: port)
                connection.send(
                    "GET /hop HTTP/1.1\r\nHost: client.example\r\nConnection: keep-alive, X-Foo\r\nX-Foo: 1\r\n"
                        + "TE: trailers\r\nKeep-Alive: timeout=9\r\nUpgrade: websocket\r\n"
                        + "Proxy-Authorization: Basic Zm9v\r\nX-Kept: yes\r\n\r\n")
                return connection.readMessage()
            }
            let message = try XCTUnwrap(answer)
            XCTAssertEqual(message.status, 202)
            XCTAssertEqual(message.text, "GET /hop\nHost: \(host)\nX-Kept: yes\n\n")
        }
    }

    func testHopByHopAnswerFieldsAreDropped() async throws {
        try await withEchoProxy { port, _, _ in
            let answer = try await blocking {
                let connection = try RawConnection(port: port)
                let added = [
                    "Connection=X-Up", "X-Up=1", "Proxy-Authorization=Basic Zm9v", "TE=trailers", "Upgrade=h2c",
                    "X-Extra=stays",
                ]
                connection.send(
                    "GET /hop HTTP/1.1\r\nHost: proxy.test\r\n" + added.map { "X-Answer-Field: \($0)\r\n" }.joined()
                        + "\r\n")
                return connection.readMessage()
            }
            let message = try XCTUnwrap(answer)
            XCTAssertEqual(message.status, 202)
            XCTAssertEqual(message.lines, Self.echoFields + ["x-extra: stays", "content-length: \(message.body.count)"])
        }
    }

    /// Asserts that `answer` is the 400 for a request that could not be parsed, and that the
    /// connection was `closed` right after it.
    private static func assertUnreadable(
        _ answer: RawMessage?, closed: Bool, version: String = "HTTP/1.1", file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let message = try XCTUnwrap(answer, "no answer", file: file, line: line)
        XCTAssertEqual(message.statusLine, "\(version) 400 Bad Request", file: file, line: line)
        XCTAssertEqual(
            message.lines,
            ["content-type: text/plain; charset=utf-8", "content-length: \(message.body.count)", "connection: close"],
            file: file, line: line)
        XCTAssertTrue(message.text.hasPrefix("the request could not be read: "), message.text, file: file, line: line)
        XCTAssertTrue(message.text.hasSuffix("\n"), message.text, file: file, line: line)
        XCTAssertTrue(closed, "the connection stays open after the 400", file: file, line: line)
    }
}
