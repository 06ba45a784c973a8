import CallConsultEmulator
import CallConsultKit
import TestSupport
import XCTest

/// HTTP no client library would send, over raw sockets: each gets a clean answer or a closed
/// connection, and the emulator goes on serving.
final class HostileHTTPTests: XCTestCase {
    private static func request(_ path: String, body: String, cookie: String? = nil) -> String {
        let cookieLine = cookie.map { "Cookie: \($0)\r\n" } ?? ""
        return "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(cookieLine)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    private static let consultPath = "/example.domain/service/cc/arm/call_consult"

    /// After each hostile case, a plain exchange on a new connection still works.
    private func assertStillServing(_ running: ECSSEmulator.Running, _ label: String) throws {
        let connection = try RawConnection(port: running.port)
        XCTAssertTrue(connection.send(Self.request(Self.consultPath, body: Fixtures.consult())), label)
        XCTAssertEqual(connection.readAnswer()?.status, 403, "\(label): the emulator stopped answering")
    }

    func testMalformedRequestsGet400OrAClosedConnection() async throws {
        let cases: [(label: String, bytes: String)] = [
            ("garbage request line", "GARBAGE\r\n\r\n"),
            ("no version", "POST /example.domain/service/cc/arm/login\r\n\r\n"),
            ("unknown version", "POST / HTTP/7.3\r\nHost: x\r\n\r\n"),
            ("binary", String(decoding: (0..<64).map { UInt8($0) }, as: UTF8.self) + "\r\n\r\n"),
            ("header without colon", "POST / HTTP/1.1\r\nHost x\r\n\r\n"),
            ("bad content length", "POST \(Self.consultPath) HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
            ("two content lengths", "POST \(Self.consultPath) HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
            ("bad chunk size", "POST \(Self.consultPath) HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n"),
            ("a 200 KB header", "POST / HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: 200_000))\r\n\r\n"),
        ]
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            for (label, bytes) in cases {
                let connection = try RawConnection(port: running.port)
                connection.send(bytes)
                if let answer = connection.readAnswer() {
                    XCTAssertTrue([400, 403, 404, 413, 431].contains(answer.status), "\(label): \(answer.status)")
                }
                try assertStillServing(running, label)
            }
        }
    }

    func testAnAnnouncedHugeBodyIsRefusedBeforeItIsSent() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let connection = try RawConnection(port: running.port)
            connection.send(
                "POST \(Self.consultPath) HTTP/1.1\r\nCookie: \(cookie)\r\nContent-Length: 1000000000000\r\n\r\n<in>")
            XCTAssertEqual(connection.readAnswer()?.status, 413)
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.tooLarge(maxBodyBytes: 65_536)))
        }
    }

    func testAStreamedOversizedBodyIs413WithoutBeingKept() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let connection = try RawConnection(port: running.port)
            let before = residentMemory()
            connection.send(
                "POST \(Self.consultPath) HTTP/1.1\r\nHost: x\r\nCookie: \(cookie)\r\nTransfer-Encoding: chunked\r\n\r\n")
            // 64 MiB in 64 KiB chunks, with no length announced: refused once 64 KiB have passed.
            let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: 65_536) + Array("\r\n".utf8)
            var sent = 0
            for _ in 0..<1024 where connection.send(chunk) { sent += 1 }
            connection.send("0\r\n\r\n")
            XCTAssertEqual(connection.readAnswer()?.status, 413)
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.tooLarge(maxBodyBytes: 65_536)))
            if let before, let after = residentMemory() {
                // 64 MiB went through; far less may stay.
                XCTAssertLessThan(after - before, 32 << 20, "resident memory grew by \(after - before) bytes for \(sent) chunks")
            }
            print("oversized body: \(sent) of 1024 chunks sent, resident memory \(before ?? 0) → \(residentMemory() ?? 0) bytes")
            // The connection goes on: the rest of the body was read and dropped.
            if connection.send(Self.request(Self.consultPath, body: Fixtures.consult(), cookie: cookie)) {
                XCTAssertEqual(connection.readAnswer()?.status, 200)
            }
        }
    }

    func testASlowBodyIsCutOffByTheIdleTimeout() async throws {
        var configuration = Fixtures.configuration()
        configuration.idleTimeout = .milliseconds(300)
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            let silent = try RawConnection(port: running.port)
            silent.send("POST \(Self.consultPath) HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n<in>")
            XCTAssertTrue(silent.isClosedByServer(), "a connection that stopped sending mid-body stays open")
            let idle = try RawConnection(port: running.port)
            XCTAssertTrue(idle.isClosedByServer(), "a connection that never sends stays open")
            try assertStillServing(running, "after slow bodies")
        }
    }

    func testAThousandConcurrentConnectionsEachGetAnAnswerOrAreClosed() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let before = residentMemory()
            var connections: [RawConnection] = []
            for _ in 0..<1000 {
                connections.append(try RawConnection(port: running.port, timeout: .seconds(10)))
            }
            let request = Self.request(Self.consultPath, body: Fixtures.consult())
            let sent = connections.filter { $0.send(request) }.count
            var answered = 0
            var closed = 0
            for connection in connections {
                if let answer = connection.readAnswer() {
                    XCTAssertEqual(answer.status, 403)
                    XCTAssertEqual(answer.body, "Session is not valid")
                    answered += 1
                } else {
                    closed += 1
                }
            }
            XCTAssertEqual(sent, 1000)
            XCTAssertEqual(answered + closed, 1000)
            XCTAssertGreaterThan(answered, 0)
            if let before, let after = residentMemory() {
                XCTAssertLessThan(after - before, 256 << 20, "resident memory grew by \(after - before) bytes")
            }
            connections.removeAll()
            try assertStillServing(running, "after 1000 connections")
            print(
                "1000 connections: \(answered) answered, \(closed) closed, resident memory \(before ?? 0) → \(residentMemory() ?? 0) bytes"
            )
        }
    }
}
