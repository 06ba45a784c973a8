import Foundation
import XCTest

/// `callconsult serve` when nobody reads its standard output: answering goes on, lines are
/// dropped and counted, and SIGTERM still ends it.
final class ServeOutputTests: XCTestCase {
    private static let environment = ["ECSS_CLIENT_ID": "crm-1", "ECSS_API_KEY": "s3cret-api-key", "ECSS_PHONE_NUMBER": "1001"]
    private static let badLogin = #"<in><request client_id="crm-1" api_key="guess" phone_number="1001"/></in>"#

    func testAnUnreadStandardOutputNeverStopsTheAnswers() async throws {
        // Far more log lines than a pipe (64 KiB) and the writer's queue (1024 lines) hold.
        let requests = 4000
        let workers = 16
        let serve = try ServeProcess(["--port", "0", "--json"], environment: Self.environment, readingOnlyTheFirstLine: true)
        let answered = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var count = 0
                    for _ in stride(from: worker, to: requests, by: workers) {
                        let answer = try await serve.post("login", Self.badLogin, timeout: 10)
                        XCTAssertEqual(answer.status, 403)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        XCTAssertEqual(answered, requests)
        let started = Date()
        let stopped = serve.stop(with: SIGTERM)
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "SIGTERM must end serve within seconds")
        XCTAssertTrue(stopped.stderr.contains("standard output is not being read"), stopped.stderr)
        XCTAssertFalse(stopped.stderr.contains("s3cret"), stopped.stderr)
    }
}
