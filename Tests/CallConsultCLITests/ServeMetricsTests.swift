import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `callconsult serve --metrics`, run as built: /metrics in the Prometheus text format.
final class ServeMetricsTests: XCTestCase {
    private static let environment = ["ECSS_CLIENT_ID": "crm-1", "ECSS_API_KEY": "s3cret-api-key", "ECSS_PHONE_NUMBER": "1001"]
    private static let login = #"<in><request client_id="crm-1" api_key="s3cret-api-key" phone_number="1001"/></in>"#
    private static let hold = #"<in><request><call_hold conversation_id="c-9"/></request></in>"#

    private func scrape(_ serve: ServeProcess) async throws -> (status: Int?, contentType: String?, body: String) {
        let url = try XCTUnwrap(URL(string: serve.baseURL + "/metrics"))
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = response as? HTTPURLResponse
        return (http?.statusCode, http?.value(forHTTPHeaderField: "Content-Type"), String(decoding: data, as: UTF8.self))
    }

    func testMetricsCountsExchangesByCommandAndOutcomeWithoutSecrets() async throws {
        let serve = try ServeProcess(["--port", "0", "--metrics"], environment: Self.environment)
        let login = try await serve.post("login", Self.login)
        let cookie = try XCTUnwrap(login.cookie)
        for _ in 0..<2 {
            let hold = try await serve.post("call_hold", Self.hold, cookie: cookie)
            XCTAssertEqual(hold.status, 200)
        }
        let lost = try await serve.post("call_hold", Self.hold)
        XCTAssertEqual(lost.status, 403)
        let page = try await scrape(serve)
        _ = serve.stop()
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.contentType, "text/plain; version=0.0.4; charset=utf-8")
        let lines = page.body.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("# TYPE ecss_emulator_exchanges counter"), page.body)
        for (command, outcome, count) in [
            ("login", "logged_in", 1), ("call_hold", "ok", 2), ("call_hold", "refused.no_session", 1),
        ] {
            let labels = #"ecss_command="\#(command)",ecss_outcome="\#(outcome)""#
            XCTAssertTrue(
                lines.contains { $0.hasPrefix("ecss_emulator_exchanges{") && $0.contains(labels) && $0.hasSuffix(" \(count)") },
                "\(command) \(outcome): \(page.body)")
        }
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("hb_requests{") && $0.contains(#"http_route="/{domain}/service/cc/arm/call_hold""#) },
            page.body)
        XCTAssertTrue(lines.contains { $0.hasPrefix("http_server_request_duration_bucket{") }, page.body)
        XCTAssertFalse(page.body.contains("s3cret-api-key"))
        XCTAssertFalse(page.body.contains(cookie.split(separator: "=").last.map(String.init) ?? cookie))
    }

    func testWithoutMetricsThereIsNoMetricsPage() async throws {
        let serve = try ServeProcess(["--port", "0"], environment: Self.environment)
        let page = try await scrape(serve)
        _ = serve.stop()
        XCTAssertEqual(page.status, 404)
    }
}
