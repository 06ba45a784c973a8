import CallConsultEmulator
import CallConsultKit
import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thousand stubs and a thousand concurrent connections: every request answered by its own
/// stub, memory bounded.
final class StubScaleTests: XCTestCase {
    private static let consultPath = "/example.domain/service/cc/arm/call_consult"

    private static func request(_ path: String, body: String, cookie: String? = nil) -> String {
        let cookieLine = cookie.map { "Cookie: \($0)\r\n" } ?? ""
        return "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(cookieLine)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// Raises the soft limit of open files to at least `count` (the test holds both ends of
    /// every connection); `false` when the hard limit does not allow it.
    private static func allowOpenFiles(_ count: Int) -> Bool {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return false }
        if limit.rlim_cur >= rlim_t(count) { return true }
        guard limit.rlim_max >= rlim_t(count) else { return false }
        limit.rlim_cur = rlim_t(count)
        return setrlimit(resource, &limit) == 0
    }

    /// Whether this process runs under AddressSanitizer (its runtime is loaded).
    private static var underAddressSanitizer: Bool { dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil }

    func testAThousandStubsAndAThousandConcurrentConnectionsAreAllAnswered() async throws {
        try XCTSkipUnless(Self.allowOpenFiles(2_200), "the open-file limit allows fewer than 2 200 descriptors")
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let before = residentMemory()
            for index in 0..<1000 {
                try running.emulator.addStub(
                    .init(
                        command: .callConsult, match: ["conversation_id": "c-\(index)"],
                        answer: .error(ErrorReply(reason: "stub-\(index)"))))
            }
            let cookie = try await EmulatorHTTP(running: running).login()
            var connections: [RawConnection] = []
            for _ in 0..<1000 {
                connections.append(try RawConnection(port: running.port, timeout: .seconds(30)))
            }
            let sent = connections.enumerated().filter { index, connection in
                connection.send(Self.request(Self.consultPath, body: Fixtures.consult("c-\(index)"), cookie: cookie))
            }.count
            XCTAssertEqual(sent, 1000)
            var answered = 0
            for (index, connection) in connections.enumerated() {
                guard let answer = connection.readAnswer() else {
                    XCTFail("connection \(index) closed without an answer")
                    continue
                }
                XCTAssertEqual(answer.status, 403)
                XCTAssertTrue(answer.body.contains(#"reason="stub-\#(index)""#), answer.body)
                answered += 1
            }
            XCTAssertEqual(answered, 1000)
            connections.removeAll()
            XCTAssertEqual(running.emulator.stubs.count, 1000)
            if let before, let after = residentMemory() {
                // AddressSanitizer keeps freed memory in a quarantine of 256 MiB by default.
                let bound = (256 << 20) + (Self.underAddressSanitizer ? 256 << 20 : 0)
                XCTAssertLessThan(after - before, bound, "resident memory grew by \(after - before) bytes")
                print("1000 stubs, 1000 connections: resident memory \(before) → \(after) bytes")
            }
        }
    }
}
