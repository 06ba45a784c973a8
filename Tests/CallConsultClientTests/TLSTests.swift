import AsyncHTTPClient
import CallConsultClient
import CallConsultKit
import Foundation
import NIOSSL
import TestCertificates
import XCTest

/// https against a local TLS server whose self-signed certificate is made in the test.
final class TLSTests: XCTestCase {
    /// A new self-signed certificate and its key, in NIOSSL's types.
    static func selfSigned() throws -> (NIOSSLCertificate, NIOSSLPrivateKey) {
        let made = try SelfSignedCertificate()
        return (try made.certificate(), try made.key())
    }

    func testHTTPSWithAClientThatTrustsTheCertificate() async throws {
        let (certificate, key) = try Self.selfSigned()
        let context = try NIOSSLContext(
            configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([certificate])
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        let httpClient = HTTPClient(eventLoopGroup: .singletonMultiThreadedEventLoopGroup, configuration: configuration)
        let handler = FakeECSS.handler(loginCookies: ["ECSS_SESSION=\(sessionCookieValue); Secure"]) { _ in
            .respond(.ok, FakeECSS.xml, FakeECSS.ok)
        }
        let outcome = await Result {
            try await TestServer.withServer(tls: context, handler: handler) { server in
                XCTAssertTrue(server.baseURL.hasPrefix("https://"))
                let response = try await FakeECSS.client(server, httpClient: httpClient).callConsult(sampleRequest)
                XCTAssertEqual(response, .ok)
                XCTAssertEqual(FakeECSS.requests(server, "call_consult").first?.cookie, "ECSS_SESSION=\(sessionCookieValue)")
            }
        }
        try await httpClient.shutdown()
        try outcome.get()
    }

    func testHTTPSWithAnUntrustedCertificateFailsBeforeSending() async throws {
        let (certificate, key) = try Self.selfSigned()
        let context = try NIOSSLContext(
            configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        var configuration = HTTPClient.Configuration()  // default TLS: the system's roots only
        configuration.connectionPool.retryConnectionEstablishment = false
        let httpClient = HTTPClient(eventLoopGroup: .singletonMultiThreadedEventLoopGroup, configuration: configuration)
        let outcome = await Result {
            try await TestServer.withServer(tls: context, handler: TestServer.always(.close)) { server in
                let client = try FakeECSS.client(server, httpClient: httpClient)
                let error = await assertClientError { try await client.callConsult(sampleRequest) }
                XCTAssertEqual(error?.kind, .transport)
                XCTAssertEqual(error?.mayHaveBeenDelivered, false)
                XCTAssertTrue(error?.cause is NIOSSLError, "\(String(describing: error?.cause))")
                XCTAssertTrue(server.requests.isEmpty)
            }
        }
        try await httpClient.shutdown()
        try outcome.get()
    }
}

extension Result where Failure == any Error {
    /// The outcome of an async throwing body.
    fileprivate init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
