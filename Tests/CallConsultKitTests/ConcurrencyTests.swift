import CallConsultKit
import XCTest

/// Many tasks decoding and encoding at once get exactly the answers one task gets alone.
final class ConcurrencyTests: XCTestCase {
    /// A mixed stream: valid, invalid, not well-formed, hostile, in several encodings.
    static let corpus: [[UInt8]] = {
        var bodies: [[UInt8]] = [
            Body.utf8(requestXML(#"conversation_id="c1" to_number="1001" operator_id="42""#)),
            Body.utf8(requestXML(#"conversation_id="c2" to_number="1002""#)),
            Body.utf8(requestXML(#"conversation_id="c3""#)),
            Body.utf8(requestXML(#"conversation_id="c4" to_number="1" mode="consult""#)),
            Body.utf8("<out><response><ok/></response></out>"),
            Body.utf8("<in><request><call_consult"),
            Body.utf8(#"<!DOCTYPE in [<!ENTITY a "aaaa">]><in/>"#),
            Body.utf16LE(requestXML(#"conversation_id="ж" to_number="1""#)),
            Body.windows1251(
                #"<?xml version="1.0" encoding="windows-1251"?>"# + requestXML(#"conversation_id="Звонок" to_number="1""#)),
            Body.utf8("<in>" + String(repeating: "<a>", count: 40) + "</in>"),
            Body.utf8(requestXML((0..<40).map { "a\($0)=\"\($0)\"" }.joined(separator: " "))),
            [UInt8](repeating: 0x41, count: 70_000),
            Body.utf8(requestXML(#"conversation_id="&#1;" to_number="1""#)),
        ]
        // Distinct names, so that pooled parser dictionaries grow and get retired meanwhile.
        for index in 0..<40 {
            bodies.append(Body.utf8("<in><request><e\(index) x\(index)=\"1\"/></request></in>"))
        }
        return bodies
    }()

    /// What one decode says, reduced to something comparable.
    static func outcome(_ body: [UInt8]) -> String {
        switch decodeRequest(body) {
        case .success(let request): "ok \(request)"
        case .failure(let error): "error \(error)"
        }
    }

    func testSixtyFourTasksAgreeWithSerialRun() async {
        let corpus = Self.corpus
        let serial = corpus.map(Self.outcome)
        let rounds = 20
        let results = await withTaskGroup(of: (Int, [(Int, String)]).self) { group in
            for task in 0..<64 {
                group.addTask {
                    var seen: [(Int, String)] = []
                    for round in 0..<rounds {
                        // Each task walks the corpus from a different place.
                        for offset in 0..<corpus.count {
                            let index = (offset + task * 7 + round) % corpus.count
                            seen.append((index, Self.outcome(corpus[index])))
                        }
                    }
                    return (task, seen)
                }
            }
            var all: [(Int, [(Int, String)])] = []
            for await result in group { all.append(result) }
            return all
        }
        XCTAssertEqual(results.count, 64)
        for (task, seen) in results {
            for (index, outcome) in seen where outcome != serial[index] {
                XCTFail("task \(task), body \(index): \(outcome) != \(serial[index])")
            }
        }
    }

    func testConcurrentEncodingMatchesSerial() async throws {
        let requests = (0..<200).map {
            CallConsultRequest(conversationID: "c\($0)&<\"", toNumber: "\($0)", operatorID: $0 % 2 == 0 ? nil : "op\($0)")
        }
        let serial = try requests.map { try codec.encode($0) }
        let parallel = try await withThrowingTaskGroup(of: (Int, [UInt8], CallConsultRequest).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask {
                    let body = try codec.encode(request)
                    return (index, body, try codec.decodeRequest(body))
                }
            }
            var all: [(Int, [UInt8], CallConsultRequest)] = []
            for try await result in group { all.append(result) }
            return all
        }
        for (index, body, decoded) in parallel {
            XCTAssertEqual(body, serial[index])
            XCTAssertEqual(decoded, requests[index])
        }
    }
}
