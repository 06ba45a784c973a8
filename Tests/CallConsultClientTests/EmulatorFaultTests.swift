import CallConsultClient
import CallConsultEmulator
import CallConsultKit
import Logging
import XCTest

/// The client under the emulator's faults, with a retry policy on: every command of the family
/// against every fault that strikes after the request left the client is sent exactly once (the
/// emulator's journal shows it), fails with the kind the fault makes, and says that it may have
/// been delivered whenever the journal says it was carried out.
final class EmulatorFaultTests: XCTestCase {
    typealias Stub = ECSSEmulator.Stub
    typealias Fault = ECSSEmulator.Fault

    private static let quiet = Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A policy that would retry quickly and often, were a failure ever retried.
    private static let eager = ECSSClient.RetryPolicy.jitter(maxRetries: 5, base: .milliseconds(5), cap: .milliseconds(10))

    /// One fault and what the client and the journal must say of it.
    private struct FaultCase {
        let fault: Fault
        /// The call's timeout (short for the faults that never answer).
        let timeout: Duration
        let kind: ECSSClientError.Kind
        let status: Int?
        /// Whether the emulator carried the command out (the journal's `carriedOut`).
        let carriedOut: Bool
        /// What the error's `mayHaveBeenDelivered` must be; `nil`: either (a reset before the
        /// body is read comes after the client wrote it, so the client cannot know).
        let delivered: Bool?

        var name: String { fault.kind.rawValue + (fault.status.map { " \($0)" } ?? "") }
    }

    private static let faults: [FaultCase] = [
        FaultCase(
            fault: Fault(kind: .resetBeforeBody), timeout: .seconds(5), kind: .transport, status: nil, carriedOut: false,
            delivered: nil),
        FaultCase(
            fault: Fault(kind: .resetAfterCommand), timeout: .seconds(5), kind: .transport, status: nil, carriedOut: true,
            delivered: true),
        FaultCase(
            fault: Fault(kind: .stall), timeout: .milliseconds(400), kind: .timeout, status: nil, carriedOut: true,
            delivered: true),
        FaultCase(
            fault: .http(status: 503, body: "try later", headers: ["Retry-After": "1"]), timeout: .seconds(5),
            kind: .unexpectedStatus, status: 503, carriedOut: false, delivered: true),
        FaultCase(
            fault: Fault(kind: .truncated), timeout: .seconds(5), kind: .transport, status: nil, carriedOut: true,
            delivered: true),
        FaultCase(
            fault: .delay(milliseconds: 1500), timeout: .milliseconds(400), kind: .timeout, status: nil, carriedOut: true,
            delivered: true),
    ]

    /// Every command answered with an `<out>`, and `monitor`.
    private static let requests: [ECSSRequest] = FamilyCase.all.map(\.request) + [.monitor(FamilyCase.monitorRequest)]

    private func withEmulator(_ body: (ECSSEmulator.Running) async throws -> Void) async throws {
        var configuration = ECSSEmulator.Configuration(credentials: testCredentials)
        configuration.domain = testDomain
        try await ECSSEmulator.withRunning(configuration: configuration, logger: Self.quiet) { try await body($0) }
    }

    private func client(_ running: ECSSEmulator.Running, timeout: Duration) throws -> ECSSClient {
        try ECSSClient(
            configuration: .init(
                baseURL: running.baseURL, domain: testDomain, credentials: testCredentials, timeout: timeout,
                retryPolicy: Self.eager))
    }

    /// The exchanges of `command` the emulator journaled after `seq`.
    private func journal(_ running: ECSSEmulator.Running, _ command: CommandName, after seq: Int) -> [ECSSEmulator.Exchange] {
        running.emulator.exchanges(since: seq).filter { $0.command == .named(command) }
    }

    func testEveryCommandUnderEveryFaultAfterSendingIsSentOnceAndNeverRetried() async throws {
        try await withEmulator { running in
            for faultCase in Self.faults {
                for request in Self.requests {
                    let command = request.command
                    // monitor's answer has no body: half of it is all of it, an answer.
                    if command == .monitor && faultCase.fault.kind == .truncated { continue }
                    let label = "\(command) × \(faultCase.name)"
                    running.emulator.removeAllStubs()
                    try running.emulator.addStub(Stub(command: command, fault: faultCase.fault))
                    let client = try client(running, timeout: faultCase.timeout)
                    try await client.login()
                    let seq = running.exchanges.last?.seq ?? 0
                    let error = await assertClientError { try await client.send(request) }
                    XCTAssertEqual(error?.kind, faultCase.kind, "\(label): \(String(describing: error))")
                    XCTAssertEqual(error?.status, faultCase.status, label)
                    XCTAssertEqual(error?.attempts, 1, "\(label): never retried")
                    XCTAssertEqual(error?.previousAttempts.isEmpty, true, label)
                    if let delivered = faultCase.delivered {
                        XCTAssertEqual(error?.mayHaveBeenDelivered, delivered, label)
                    }
                    if error?.mayHaveBeenDelivered == true {
                        XCTAssertTrue(
                            error?.description.hasSuffix("the request may have been delivered") ?? false, label)
                    }
                    // A stalled exchange is journaled when its request is read, before the client
                    // gives up; a delayed one when its delay ends (after the client gave up here);
                    // the others before the connection closes.
                    var sent = journal(running, command, after: seq)
                    let patience = ContinuousClock.now + .seconds(5)
                    while sent.isEmpty, ContinuousClock.now < patience {
                        try await Task.sleep(for: .milliseconds(20))
                        sent = journal(running, command, after: seq)
                    }
                    XCTAssertEqual(sent.count, 1, "\(label): sent exactly once: \(sent)")
                    XCTAssertEqual(sent.first?.fault, faultCase.fault.kind, label)
                    XCTAssertEqual(sent.first?.carriedOut, faultCase.carriedOut, label)
                    if sent.first?.carriedOut == true {
                        XCTAssertEqual(error?.mayHaveBeenDelivered, true, "\(label): carried out, so maybe delivered")
                    }
                    XCTAssertTrue(
                        running.emulator.exchanges(since: seq).allSatisfy { $0.command != .named(.login) },
                        "\(label): no new login")
                }
            }
        }
    }

    func testALoginFaultFailsTheCallWithoutSendingTheCommand() async throws {
        let faults: [(Fault, Duration, ECSSClientError.Kind)] = [
            (Fault(kind: .resetBeforeBody), .seconds(5), .transport),
            (Fault(kind: .resetAfterCommand), .seconds(5), .transport),
            (Fault(kind: .stall), .milliseconds(400), .timeout),
            (.http(status: 503), .seconds(5), .unexpectedStatus),
            (Fault(kind: .truncated), .seconds(5), .transport),
        ]
        try await withEmulator { running in
            for (fault, timeout, kind) in faults {
                let label = "login × \(fault.kind.rawValue)"
                running.emulator.removeAllStubs()
                try running.emulator.addStub(Stub(command: .login, fault: fault))
                let seq = running.exchanges.last?.seq ?? 0
                let client = try client(running, timeout: timeout)
                let error = await assertClientError { try await client.send(sampleRequest) }
                XCTAssertEqual(error?.kind, kind, "\(label): \(String(describing: error))")
                XCTAssertEqual(error?.mayHaveBeenDelivered, false, "\(label): the command was never sent")
                XCTAssertEqual(error?.attempts, 1, "\(label): a login that may have arrived is not retried")
                XCTAssertEqual(journal(running, .login, after: seq).count, 1, label)
                XCTAssertTrue(journal(running, .callConsult, after: seq).isEmpty, label)
            }
        }
    }

    func testALostSessionIsTheOneResendAndTheJournalSaysTheFirstWasNotCarriedOut() async throws {
        try await withEmulator { running in
            for request in Self.requests {
                let command = request.command
                running.emulator.removeAllStubs()
                try running.emulator.addStub(Stub(command: command, fault: Fault(kind: .sessionLost), times: 1))
                let client = try client(running, timeout: .seconds(5))
                try await client.login()
                let seq = running.exchanges.last?.seq ?? 0
                _ = try await client.send(request)
                let sent = journal(running, command, after: seq)
                XCTAssertEqual(sent.map(\.fault), [.sessionLost, nil], "\(command)")
                XCTAssertEqual(sent.map(\.carriedOut), [false, true], "\(command): carried out once")
                XCTAssertEqual(journal(running, .login, after: seq).count, 1, "\(command): one new login")
            }
        }
    }
}
