import AsyncHTTPClient
import CallConsultClient
import CallConsultKit
import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509
import XCTest

/// https against a local TLS server whose self-signed certificate is made in the test.
final class TLSTests: XCTestCase {
    /// A self-signed certificate for 127.0.0.1 and localhost, valid for an hour around now, and
    /// its key, in NIOSSL's types.
    private static func selfSigned() throws -> (NIOSSLCertificate, NIOSSLPrivateKey) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("CallConsultClient test") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 3600, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: .init(key))
        let pem = try certificate.serializeAsPEM().pemString
        return (
            try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem),
            try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)
        )
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
