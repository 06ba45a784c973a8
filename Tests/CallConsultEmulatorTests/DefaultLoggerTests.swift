import CallConsultKit
import Logging
import XCTest

@testable import CallConsultEmulator

/// A library logs nothing unless it is given a logger.
final class DefaultLoggerTests: XCTestCase {
    func testTheDefaultLoggerIsANoOp() async throws {
        let emulator = ECSSEmulator(configuration: Fixtures.configuration())
        XCTAssertTrue(emulator.logger.handler is SwiftLogNoOpLogHandler)
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            XCTAssertTrue(running.emulator.logger.handler is SwiftLogNoOpLogHandler)
        }
    }
}
