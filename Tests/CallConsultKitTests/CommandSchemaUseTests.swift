import CallConsultKit
import XCTest

/// User schemas in use: many in turn on one thread (the engine keeps at most eight validators
/// per thread and evicts the oldest), one from many tasks at once, and schemas that go away.
final class CommandSchemaUseTests: XCTestCase {
    private static func request(_ command: String, _ id: String) -> [UInt8] {
        Body.utf8("<in>\n  <request>\n    <\(command) conversation_id=\"\(id)\"/>\n  </request>\n</in>\n")
    }

    private static func schema(_ command: String) throws -> CommandSchema {
        try CommandSchema(name: command, xsd: Array(CommandSchemaTests.siblingXSD(command).utf8))
    }

    private static func outcome(_ body: [UInt8], _ schema: CommandSchema) -> String {
        do {
            return "ok \(try codec.decodeElement(body, as: .request, schema: schema).jsonForm())"
        } catch {
            return "error \(error)"
        }
    }

    func testTwelveSchemasInTurnOnOneThread() throws {
        let names = (0..<12).map { "command_\($0)" }
        let schemas = try names.map(Self.schema)
        for round in 0..<4 {
            // Forwards, then backwards: every schema's validator is evicted and made again.
            let order = round.isMultiple(of: 2) ? Array(schemas.indices) : schemas.indices.reversed()
            for index in order {
                let schema = schemas[index]
                let own = try codec.decodeElement(Self.request(names[index], "r\(round)"), as: .request, schema: schema)
                guard case .element(let request) = own.content.first, case .element(let command) = request.content.first else {
                    return XCTFail("unexpected tree \(own)")
                }
                XCTAssertEqual(command.name, names[index])
                XCTAssertEqual(command.attributes, [.init(name: "conversation_id", value: "r\(round)")])
                let other = names[(index + 1) % names.count]
                XCTAssertThrowsError(try codec.decodeElement(Self.request(other, "x"), as: .request, schema: schema)) {
                    XCTAssertEqual(($0 as? DocumentError)?.kind, .notValid, "\(names[index]) took \(other)")
                    XCTAssertEqual(($0 as? DocumentError)?.issues.first?.line, 3)
                }
                // The bundled schemas keep working in between.
                XCTAssertEqual(try codec.decode(CallHoldRequest.self, from: Self.request("call_hold", "h")).conversationID, "h")
                XCTAssertEqual(
                    try codec.decodeResponse(codec.encode(.ok, command: .auxWork), command: .auxWork), .ok)
            }
        }
    }

    func testSchemasMadeAndDroppedAgainAndAgain() throws {
        // Schemas freed while a thread's engine may still hold their validators.
        for index in 0..<40 {
            let name = "temporary_\(index)"
            let schema = try Self.schema(name)
            XCTAssertTrue(Self.outcome(Self.request(name, "\(index)"), schema).hasPrefix("ok "))
            XCTAssertTrue(Self.outcome(Self.request("temporary_\(index + 1)", "1"), schema).hasPrefix("error not_valid"))
        }
    }

    func testOneSchemaFromManyTasksAgreesWithASerialRun() async throws {
        let schema = try Self.schema("call_pickup")
        let others = try (0..<10).map { try Self.schema("other_\($0)") }
        let corpus: [[UInt8]] = [
            Self.request("call_pickup", "a"), Self.request("call_pickup", "b&amp;c"), Self.request("call_hold", "c"),
            Body.utf8("<in><request><call_pickup/></request></in>"), Body.utf8("<in><request><call_pickup"),
            Body.utf8("<out><error reason=\"r\"/></out>"), Body.utf8(#"<!DOCTYPE in [<!ENTITY a "b">]><in/>"#),
            Body.utf8("<in>" + String(repeating: "<a>", count: 40) + "</in>"),
        ]
        let serial = corpus.map { Self.outcome($0, schema) }
        XCTAssertEqual(serial.filter { $0.hasPrefix("ok ") }.count, 2)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<32 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<20 {
                        for offset in corpus.indices {
                            let index = (offset + task + round) % corpus.count
                            if Self.outcome(corpus[index], schema) != serial[index] { wrong += 1 }
                            // Other schemas in between, so that validators are evicted meanwhile.
                            _ = Self.outcome(corpus[index], others[(task + round + offset) % others.count])
                        }
                    }
                    return wrong
                }
            }
            var total = 0
            for await wrong in group { total += wrong }
            return total
        }
        XCTAssertEqual(mismatches, 0)
    }
}
