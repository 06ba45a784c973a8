import AsyncHTTPClient
import CallConsultKit
import XCTest

@testable import CallConsultClient

/// The `HTTPClient` a client uses when given none, and the body it sends through each kind.
final class DefaultHTTPClientTests: XCTestCase {
    private let configuration = ECSSClient.Configuration(
        baseURL: "http://127.0.0.1:1", domain: testDomain, credentials: testCredentials)

    func testClientsWithoutAnHTTPClientShareOneThatFollowsNoRedirects() throws {
        let first = try ECSSClient(configuration: configuration)
        let second = try ECSSClient(configuration: configuration)
        XCTAssertTrue(first.httpClient === second.httpClient)
        XCTAssertTrue(first.httpClient === ECSSClient.defaultHTTPClient)
        XCTAssertTrue(first.httpClientFollowsNoRedirects)
    }

    func testAGivenHTTPClientIsUsedAndMayFollowRedirects() throws {
        let client = try ECSSClient(configuration: configuration, httpClient: .shared)
        XCTAssertTrue(client.httpClient === HTTPClient.shared)
        XCTAssertFalse(client.httpClientFollowsNoRedirects, "a borrowed client gets the single-pass body")
    }

    func testTheOwnHTTPClientMakesNoSpansWhileNoTracerIsBootstrapped() {
        // The test process bootstraps no tracer: swift-distributed-tracing's is the no-op one,
        // and the client's own HTTPClient then has none (HTTPClient.shared keeps the no-op one).
        XCTAssertNil(ECSSClient.defaultHTTPClient.tracer)
        XCTAssertNotNil(HTTPClient.shared.tracer)
    }

    func testBothKindsOfHTTPClientSendTheSameBytes() async throws {
        // The own client sends the body as bytes, a borrowed one as a single-pass sequence: the
        // server must see the same request either way.
        var bodies: [[UInt8]] = []
        for httpClient in [nil, HTTPClient.shared] {
            let handler = FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }
            try await TestServer.withServer(handler: handler) { server in
                let answer = try await FakeECSS.client(server, httpClient: httpClient).send(sampleRequest)
                XCTAssertEqual(answer.response, .ok)
                let posts = FakeECSS.requests(server, "call_consult")
                XCTAssertEqual(posts.count, 1)
                bodies.append(posts.first?.body ?? [])
                XCTAssertEqual(posts.first?.headers.first(name: "Content-Length"), "\(posts.first?.body.count ?? -1)")
            }
        }
        XCTAssertEqual(bodies.count, 2)
        XCTAssertEqual(bodies.first, try CallConsultCodec().encode(sampleRequest))
        XCTAssertEqual(bodies.first, bodies.last)
    }
}
