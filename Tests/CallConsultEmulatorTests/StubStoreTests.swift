import CallConsultKit
import XCTest

@testable import CallConsultEmulator

/// The stub store's index against the rule it must keep: the newest registered stub whose command,
/// domain, scenario state and every `match` value fit the request wins, and `times` expires it.
/// Random stubs and requests, each claim compared with a plain scan of every stub.
final class StubStoreTests: XCTestCase {
    typealias Stub = ECSSEmulator.Stub

    /// The rule, written as plainly as it is said: every stub looked at, newest first.
    private struct Model {
        var stubs: [(id: String, stub: Stub, remaining: Int?)] = []
        var scenarios: [String: String] = [:]

        mutating func claim(_ request: ECSSRequest, domain: String) -> String? {
            guard
                let index = stubs.lastIndex(where: { entry in
                    let stub = entry.stub
                    guard stub.command == request.command, stub.domain.map({ $0 == domain }) ?? true else { return false }
                    if let scenario = stub.scenario, let required = stub.requiredState,
                        (scenarios[scenario] ?? "Started") != required
                    {
                        return false
                    }
                    return stub.match.allSatisfy { request.values(of: $0.key).contains($0.value) }
                })
            else { return nil }
            let entry = stubs[index]
            if let remaining = entry.remaining {
                if remaining <= 1 { stubs.remove(at: index) } else { stubs[index].remaining = remaining - 1 }
            }
            if let scenario = entry.stub.scenario, let next = entry.stub.newState { scenarios[scenario] = next }
            return entry.id
        }
    }

    func testTheIndexChoosesAsAPlainScanOfEveryStubWould() throws {
        for seed in UInt64(1)...16 {
            var random = SplitMix64(seed: seed)
            let store = StubStore()
            var model = Model()
            let values = ["a", "b", "c"]
            func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }
            func randomStub() -> Stub {
                let command: CommandName = pick([.callHold, .callConsult, .addParticipant])
                let names: [String] =
                    switch command {
                    case .callHold: ["conversation_id", "operator_id"]
                    case .callConsult: ["conversation_id", "to_number", "operator_id"]
                    default: ["conference_id", "number", "conversation_id"]
                    }
                var match: [String: String] = [:]
                for name in names where random.next() % 3 == 0 { match[name] = pick(values) }
                let scenario: String? = random.next() % 4 == 0 ? "s" : nil
                return Stub(
                    command: command, domain: pick([nil, nil, "d1", "d2"]), match: match, answer: .ok,
                    times: pick([nil, nil, 1, 2]), scenario: scenario,
                    requiredState: scenario == nil ? nil : pick([nil, "Started", "x"]),
                    newState: scenario == nil ? nil : pick([nil, "Started", "x"]))
            }
            func randomRequest() -> ECSSRequest {
                switch random.next() % 3 {
                case 0:
                    return .callHold(
                        CallHoldRequest(conversationID: pick(values), operatorID: pick([nil, "a", "b"])))
                case 1:
                    return .callConsult(
                        CallConsultRequest(
                            conversationID: pick(values), toNumber: pick(values), operatorID: pick([nil, "c"])))
                default:
                    let participants = (0..<Int(random.next() % 3)).map { _ in
                        AddParticipantRequest.Participant(
                            number: pick([nil, "a", "b", "c"]), conversationID: pick([nil, "a", "b", "c"]))
                    }
                    return .addParticipant(AddParticipantRequest(conferenceID: pick(values), participants: participants))
                }
            }
            for step in 0..<250 {
                switch random.next() % 10 {
                case 0, 1, 2:
                    let stub = randomStub()
                    let id = try store.add(stub)
                    model.stubs.append((id, stub, stub.times))
                    if let scenario = stub.scenario, model.scenarios[scenario] == nil { model.scenarios[scenario] = "Started" }
                case 3 where !model.stubs.isEmpty:
                    let id = pick(model.stubs).id
                    XCTAssertTrue(store.remove(id: id))
                    model.stubs.removeAll { $0.id == id }
                default:
                    let request = randomRequest()
                    let domain = pick(["d1", "d2"])
                    let expected = model.claim(request, domain: domain)
                    XCTAssertEqual(
                        store.claim(request, domain: domain)?.id, expected, "seed \(seed), step \(step): \(request)")
                }
                XCTAssertEqual(store.all.map(\.id), model.stubs.map(\.id), "seed \(seed), step \(step)")
                XCTAssertEqual(store.all.map(\.remaining), model.stubs.map(\.remaining), "seed \(seed), step \(step)")
                XCTAssertEqual(store.scenarios, model.scenarios, "seed \(seed), step \(step)")
                XCTAssertEqual(store.isEmpty, model.stubs.isEmpty)
            }
        }
    }

    func testOnTheHeadOnlyTheNewestCandidateOfTheCommandCounts() throws {
        let store = StubStore()
        let reset = try store.add(Stub(command: .callHold, fault: .init(kind: .resetBeforeBody)))
        XCTAssertNil(store.claimOnHead(command: .callConsult, domain: "d"), "another command")
        let newer = try store.add(Stub(command: .callHold, match: ["conversation_id": "a"], answer: .ok))
        XCTAssertNil(store.claimOnHead(command: .callHold, domain: "d"), "a newer stub needs the body")
        XCTAssertTrue(store.remove(id: newer))
        XCTAssertEqual(store.claimOnHead(command: .callHold, domain: "d")?.id, reset)
        try store.add(Stub(command: .callHold, domain: "other", answer: .ok))
        XCTAssertEqual(store.claimOnHead(command: .callHold, domain: "d")?.id, reset, "a stub of another domain")
        store.removeAll()
        XCTAssertNil(store.claimOnHead(command: .callHold, domain: "d"))
        XCTAssertTrue(store.isEmpty)
    }

    func testScenariosThatComeAndGoStayBounded() throws {
        let store = StubStore()
        let kept = try store.add(Stub(command: .callHold, answer: .ok, scenario: "kept", newState: "moved"))
        XCTAssertEqual(store.claim(.callHold(CallHoldRequest(conversationID: "c")), domain: "d")?.id, kept)
        for index in 0..<(StubStore.capacity + 10) {
            let id = try store.add(Stub(command: .callUnhold, answer: .ok, scenario: "s-\(index)"))
            XCTAssertTrue(store.remove(id: id))
        }
        let scenarios = store.scenarios
        XCTAssertLessThanOrEqual(scenarios.count, StubStore.capacity)
        XCTAssertEqual(scenarios["kept"], "moved", "a scenario a registered stub names keeps its state")
        XCTAssertEqual(scenarios["s-\(StubStore.capacity + 9)"], "Started", "the newest is listed")
    }
}
