import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import TestCertificates
import XCTest

/// `callconsult serve --tls-cert FILE --tls-key FILE`, run as built.
final class ServeTLSTests: XCTestCase {
    private static let environment = ["ECSS_CLIENT_ID": "crm-1", "ECSS_API_KEY": "s3cret-api-key", "ECSS_PHONE_NUMBER": "1001"]
    private static let login = #"<in><request client_id="crm-1" api_key="s3cret-api-key" phone_number="1001"/></in>"#

    /// A self-signed certificate for 127.0.0.1 and its key, written as PEM files removed at
    /// teardown: the certificate's path, the key's path, and the certificate.
    private func selfSigned() throws -> (certificateFile: String, keyFile: String, certificate: NIOSSLCertificate) {
        let made = try SelfSignedCertificate(commonName: "callconsult serve test")
        return (try file(made.certificatePEM, "crt"), try file(made.keyPEM, "key"), try made.certificate())
    }

    private func file(_ text: String, _ suffix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString).\(suffix)")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testServeAnswersHTTPSAndSaysSoOnItsFirstLine() async throws {
        let (certificateFile, keyFile, certificate) = try selfSigned()
        let serve = try ServeProcess(
            ["--port", "0", "--tls-cert", certificateFile, "--tls-key", keyFile], environment: Self.environment)
        XCTAssertTrue(serve.baseURL.hasPrefix("https://127.0.0.1:"), serve.baseURL)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([certificate])
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        let client = HTTPClient(eventLoopGroup: .singletonMultiThreadedEventLoopGroup, configuration: configuration)
        var request = HTTPClientRequest(url: serve.baseURL + "/example.domain/service/cc/arm/login")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: Self.login))
        let status: Result<UInt, any Error>
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            status = .success(response.status.code)
        } catch {
            status = .failure(error)
        }
        try await client.shutdown()
        XCTAssertEqual(try status.get(), 200)
        let stopped = serve.stop()
        XCTAssertEqual(stopped.status, 0)
        XCTAssertTrue(stopped.lines.contains { $0.contains("login") && $0.contains("logged_in") }, "\(stopped.lines)")
    }

    func testABadCertificateOrKeyIsAUsageError() throws {
        let (certificateFile, keyFile, _) = try selfSigned()
        let (_, otherKeyFile, _) = try selfSigned()
        let notPEM = try file("not a certificate\n", "crt")
        let cases: [(label: String, arguments: [String], message: String)] = [
            (
                "a key that is not the certificate's", ["--tls-cert", certificateFile, "--tls-key", otherKeyFile],
                "--tls-cert and --tls-key"
            ),
            ("no key", ["--tls-cert", certificateFile], "--tls-cert needs --tls-key"),
            ("no certificate", ["--tls-key", keyFile], "--tls-key needs --tls-cert"),
            ("not PEM", ["--tls-cert", notPEM, "--tls-key", keyFile], "--tls-cert: "),
            ("a missing key file", ["--tls-cert", certificateFile, "--tls-key", keyFile + ".missing"], "--tls-key: "),
        ]
        for (label, arguments, message) in cases {
            let run = try CommandRunner().run(["serve", "--port", "0"] + arguments, environment: Self.environment)
            XCTAssertEqual(run.status, 2, "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(message), "\(label): \(run.stderr)")
            XCTAssertEqual(run.stdout, "", label)
        }
    }
}
