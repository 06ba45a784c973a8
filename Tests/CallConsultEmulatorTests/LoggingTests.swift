import CallConsultEmulator
import CallConsultKit
import Foundation
import Logging
import XCTest

final class LoggingTests: XCTestCase {
    func testLogLinesAreInfoOrBelowWithEcssKeysAndNoSecrets() async throws {
        let records = LogRecords()
        var logger = Logger(label: "test") { _ in RecordingLogHandler(records: records) }
        logger.logLevel = .trace
        let cookie = try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), logger: logger) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            _ = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
            _ = try await http.send("call_consult", body: "<in/>", cookie: cookie)
            _ = try await http.send("login", body: Fixtures.loginBody(Fixtures.credentials), domain: "bad;domain")
            return cookie
        }
        let token = String(cookie.dropFirst(ECSSEmulator.sessionCookieName.count + 1))
        let ours = records.all.filter { $0.source == "CallConsultEmulator" }
        XCTAssertGreaterThanOrEqual(ours.count, 5, "one line for listening, one per exchange")
        for record in records.all {
            XCTAssertFalse(record.text.contains(Fixtures.credentials.apiKey), record.text)
            XCTAssertFalse(record.text.contains(token), record.text)
            XCTAssertFalse(record.text.contains("<in"), "a body was logged: \(record.text)")
        }
        for record in ours {
            XCTAssertGreaterThanOrEqual(record.level, .trace)
            XCTAssertLessThanOrEqual(record.level, .info, record.text)
            XCTAssertTrue(record.keys.allSatisfy { $0.hasPrefix("ecss.") }, "\(record.keys)")
        }
    }
}

/// One log line, flattened.
struct LogRecord {
    var level: Logger.Level
    var source: String
    var keys: [String]
    var text: String
}

/// The lines logged, from any task.
final class LogRecords: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [LogRecord] = []

    func add(_ record: LogRecord) { lock.withLock { records.append(record) } }
    var all: [LogRecord] { lock.withLock { records } }
}

/// Keeps every line in `records`.
struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let text = "\(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))"
        records.add(LogRecord(level: event.level, source: event.source, keys: Array(all.keys), text: text))
    }
}
