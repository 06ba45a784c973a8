import AsyncHTTPClient
import CallConsultEmulator
import CallConsultKit
import Foundation
import NIOSSL
import TestCertificates
import XCTest

/// An emulator serving https with a self-signed certificate made in the test.
final class TLSTests: XCTestCase {
    /// A new self-signed certificate and its key, in NIOSSL's types.
    static func selfSigned() throws -> (NIOSSLCertificate, NIOSSLPrivateKey) {
        let made = try SelfSignedCertificate()
        return (try made.certificate(), try made.key())
    }

    func testHTTPSIsAnsweredToAClientThatTrustsTheCertificate() async throws {
        let (certificate, key) = try Self.selfSigned()
        var configuration = Fixtures.configuration()
        configuration.tlsConfiguration = .makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([certificate])
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.tlsConfiguration = tls
        let httpClient = HTTPClient(eventLoopGroup: .singletonMultiThreadedEventLoopGroup, configuration: clientConfiguration)
        let outcome = await Result(catching: {
            try await ECSSEmulator.withRunning(configuration: configuration) { running in
                XCTAssertEqual(running.baseURL, "https://127.0.0.1:\(running.port)")
                XCTAssertTrue(running.url(of: "call_hold", domain: "d").hasPrefix("https://127.0.0.1:"))
                let http = EmulatorHTTP(running: running, httpClient: httpClient)
                let cookie = try await http.login()
                let hold = try await http.send(
                    "call_hold", body: #"<in><request><call_hold conversation_id="c-1"/></request></in>"#, cookie: cookie)
                XCTAssertEqual(hold.status, 200, hold.body)
                XCTAssertEqual(running.exchanges.count, 2)
                // The client closes its connections first, so that the stop does not wait out
                // NIOSSL's close_notify timeout on an idle kept-alive connection.
                try await httpClient.shutdown()
            }
        })
        if case .failure = outcome { try? await httpClient.shutdown() }
        try outcome.get()
    }

    func testPlainHTTPAgainstTheHTTPSPortGetsNoAnswer() async throws {
        let (certificate, key) = try Self.selfSigned()
        var configuration = Fixtures.configuration()
        configuration.tlsConfiguration = .makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(running.port)/d/service/cc/arm/login")
            request.method = .POST
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                XCTFail("answered over plain http: \(response.status)")
            } catch {
                // The TLS handshake fails: the connection is closed without an HTTP answer.
            }
            XCTAssertTrue(running.exchanges.isEmpty)
        }
    }

    func testAKeyThatIsNotTheCertificatesStopsTheStart() async throws {
        let (certificate, _) = try Self.selfSigned()
        let (_, otherKey) = try Self.selfSigned()
        var configuration = Fixtures.configuration()
        configuration.tlsConfiguration = .makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(otherKey))
        do {
            try await ECSSEmulator.withRunning(configuration: configuration) { _ in XCTFail("started") }
            XCTFail("no error")
        } catch {
            // The server's error (NIOSSL's), or NotListening.
        }
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
