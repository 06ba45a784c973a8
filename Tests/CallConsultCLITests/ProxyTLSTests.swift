import Foundation
import TestCertificates
import XCTest

/// `callconsult proxy` in front of an https upstream (`serve --tls-cert`), run as built: trusted
/// with `--ca-file`, refused (502) by the system's trust roots without it.
final class ProxyTLSTests: XCTestCase {
    private static let environment = ["ECSS_CLIENT_ID": "crm-1", "ECSS_API_KEY": "s3cret-api-key", "ECSS_PHONE_NUMBER": "1001"]
    private static let login = #"<in><request client_id="crm-1" api_key="s3cret-api-key" phone_number="1001"/></in>"#

    /// A self-signed certificate for 127.0.0.1 and its key, as PEM files removed at teardown.
    private func selfSigned() throws -> (certificateFile: String, keyFile: String) {
        let made = try SelfSignedCertificate(commonName: "callconsult proxy test")
        return (try file(made.certificatePEM, "crt"), try file(made.keyPEM, "key"))
    }

    private func file(_ text: String, _ suffix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-tls-\(UUID().uuidString).\(suffix)")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testAnHTTPSUpstreamTrustedWithCAFileAndRefusedWithoutIt() async throws {
        let (certificateFile, keyFile) = try selfSigned()
        let serve = try ServeProcess(
            ["--port", "0", "--tls-cert", certificateFile, "--tls-key", keyFile], environment: Self.environment)
        XCTAssertTrue(serve.baseURL.hasPrefix("https://"), serve.baseURL)
        let trusting = try ServeProcess(
            ["--upstream", serve.baseURL, "--port", "0", "--ca-file", certificateFile, "--json"], subcommand: "proxy")
        let login = try await trusting.post("login", Self.login)
        XCTAssertEqual(login.status, 200)
        XCTAssertNotNil(login.cookie)
        let held = try await trusting.post(
            "call_hold", #"<in><request><call_hold conversation_id="c-1"/></request></in>"#, cookie: login.cookie)
        XCTAssertEqual(held.status, 200)
        XCTAssertEqual(trusting.stop().lines.count, 3)

        let systemTrust = try ServeProcess(["--upstream", serve.baseURL, "--port", "0", "--json"], subcommand: "proxy")
        let refused = try await systemTrust.post("login", Self.login)
        XCTAssertEqual(refused.status, 502)
        let line = try XCTUnwrap(systemTrust.stop().lines.last)
        XCTAssertTrue(line.contains(#""error": "upstream_unreachable: "#), line)
        XCTAssertFalse(line.contains("s3cret-api-key"))
        _ = serve.stop()
    }
}
