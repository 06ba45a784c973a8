import NIOCore
import XCTest

@testable import CallConsultClient

/// The request body AsyncHTTPClient reads once and can never send again.
final class OneShotBodyTests: XCTestCase {
    func testYieldsTheBytesOnceThenEnds() async throws {
        let body = OneShotBody(Array("<in/>".utf8))
        XCTAssertEqual(body.length, 5)
        var iterator = body.makeAsyncIterator()
        let first = try await iterator.next()
        XCTAssertEqual(first.map { Array($0.readableBytesView) }, Array("<in/>".utf8))
        let second = try await iterator.next()
        XCTAssertNil(second)
    }

    func testASecondIterationThrowsInsteadOfSendingTheBytesAgain() async throws {
        let body = OneShotBody(Array("<in/>".utf8))
        var chunks = 0
        for try await _ in body { chunks += 1 }
        XCTAssertEqual(chunks, 1)
        do {
            for try await _ in body { XCTFail("the body was read a second time") }
            XCTFail("a second iteration ended without an error")
        } catch {
            XCTAssertTrue(error is OneShotBody.AlreadySent, "\(type(of: error)): \(error)")
        }
    }
}
