import Foundation
import XCTest

@testable import callconsult

final class UTCTimestampTests: XCTestCase {
    private let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    func testMatchesTheFormatStyleOnEdgesOfDaysMonthsAndLeapYears() {
        XCTAssertEqual(UTCTimestamp.string(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(UTCTimestamp.string(Date(timeIntervalSince1970: 951_827_696.5)), "2000-02-29T12:34:56.500Z")
        let texts = [
            "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2000-02-29T12:34:56.789Z",
            "1900-03-01T00:00:00.001Z", "2024-12-31T23:59:59.999Z", "2025-01-01T00:00:00.000Z",
            "2100-02-28T23:59:59.500Z", "2026-12-07T06:00:00.123Z", "1601-01-01T00:00:00.000Z",
            "9999-12-31T23:59:59.999Z",
        ]
        for text in texts {
            guard let date = try? style.parse(text) else { return XCTFail("\(text) does not parse") }
            // Not always `text` itself: a parsed .001 may be held as 0.000999….
            XCTAssertEqual(UTCTimestamp.string(date), style.format(date), text)
        }
    }

    func testMatchesTheFormatStyleOnRandomTimes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // 1600 to 2400, with sub-millisecond parts.
            let seconds = Double.random(in: -11_676_096_000...13_569_465_600, using: &generator)
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(UTCTimestamp.string(date), style.format(date), "\(seconds)")
        }
    }
}
