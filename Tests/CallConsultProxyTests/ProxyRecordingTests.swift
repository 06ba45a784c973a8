import CallConsultEmulator
import CallConsultKit
import CallConsultProxy
import Foundation
import XCTest

/// What is recorded, and that an emulator given the stubs answers the same.
final class ProxyRecordingTests: XCTestCase {
    static let traffic: [(command: String, body: String)] = [
        ("call_hold", ProxyTest.hold),
        ("call_consult", #"<in><request><call_consult conversation_id="c-2" to_number="2002" operator_id="7"/></request></in>"#),
        ("block_operator", #"<in><request agent_id="a-1"/></in>"#),
        ("auxwork", #"<in><request><auxwork reason="lunch"/></request></in>"#),
        (
            "add_participant",
            #"<in><request><add_to_conference><participants conference_id="k-1"><participant number="3003"/></participants></add_to_conference></request></in>"#
        ),
        ("monitor", #"<monitor><start><event name="calls"/></start></monitor>"#),
        ("call_hold", "<in><request><call_hold/></request></in>"),
    ]

    func testRecordedStubsReplayTheSameAnswers() async throws {
        let refused: @Sendable (ECSSRequest, String) async -> CommandResponse = { request, _ in
            request.contains(value: "c-2") || request.contains(value: "lunch")
                ? .error(ErrorReply(reason: "cannot_perform_cmd", command: request.command.rawValue, body: "busy")) : .ok
        }
        var configuration = ECSSEmulator.Configuration(credentials: ProxyTest.credentials)
        configuration.port = 0
        let (recorded, originals) = try await ECSSEmulator.withRunning(configuration: configuration, answering: refused) {
            running in
            let seen = ExchangeBox()
            let proxyConfiguration = ECSSProxy.Configuration(upstream: try XCTUnwrap(URL(string: running.baseURL)), port: 0)
            let answers = try await ECSSProxy.withRunning(configuration: proxyConfiguration, onExchange: seen.append) {
                _, port in
                let base = "http://127.0.0.1:\(port)"
                let login = try await ProxyTest.send(ProxyTest.url(base, "login"), body: ProxyTest.login)
                var answers: [RawAnswer] = []
                for (command, body) in Self.traffic {
                    answers.append(
                        try await ProxyTest.send(
                            ProxyTest.url(base, command), body: body, headers: [("Cookie", login.cookie ?? "")]))
                }
                return answers
            }
            return (seen.all.compactMap(\.recordedStub), answers)
        }
        XCTAssertEqual(recorded.map(\.command), [.callHold, .callConsult, .blockOperator, .auxWork, .addParticipant])
        XCTAssertEqual(recorded[0], .init(command: .callHold, match: ["conversation_id": "c-1"], answer: .ok, status: 200))
        XCTAssertEqual(
            recorded[1],
            .init(
                command: .callConsult, match: ["conversation_id": "c-2", "to_number": "2002", "operator_id": "7"],
                answer: .error(ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "busy")), status: 403))
        XCTAssertEqual(recorded[3].status, 200)
        XCTAssertEqual(recorded[4].match, ["conference_id": "k-1", "number": "3003"])
        // A fresh emulator that answers ok to everything, given the stubs, answers as the first did.
        try await ECSSEmulator.withRunning(configuration: configuration) { replay in
            for stub in recorded { _ = try replay.emulator.addStub(stub) }
            let login = try await ProxyTest.send(replay.url(of: "login", domain: ProxyTest.domain), body: ProxyTest.login)
            for ((command, body), original) in zip(Self.traffic, originals) {
                let again = try await ProxyTest.send(
                    replay.url(of: command, domain: ProxyTest.domain), body: body, headers: [("Cookie", login.cookie ?? "")])
                XCTAssertEqual(again.status, original.status, command)
                XCTAssertEqual(again.text, original.text, command)
            }
        }
    }
}
