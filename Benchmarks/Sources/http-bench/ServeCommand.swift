import CallConsultEmulator
import CallConsultKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `http-bench serve`: the emulator and the fixed-answer server, side by side in one process.
enum ServeCommand {
    /// - Parameters:
    ///   - domain: The domain of the printed URLs.
    ///   - stubs: How many stubs to register on the emulator first: `call_consult` ones matching a
    ///     `conversation_id` no request of the benchmark has, so that every request is checked
    ///     against all of them and none applies (the decision answers, as without stubs).
    static func run(domain: String, stubs: Int = 0) async throws {
        // Neither server logs per request: the comparison is of the HTTP path, not of a log sink.
        let quiet = Logger(label: "http-bench", factory: { _ in SwiftLogNoOpLogHandler() })
        var configuration = ECSSEmulator.Configuration(
            credentials: LoginRequest(
                clientID: BenchCredentials.clientID, apiKey: BenchCredentials.apiKey,
                phoneNumber: BenchCredentials.phoneNumber))
        configuration.port = 0
        let emulator = ECSSEmulator(configuration: configuration, logger: quiet)
        for index in 0..<stubs {
            try emulator.addStub(
                .init(
                    command: .callConsult, match: ["conversation_id": "no-match-\(index)"],
                    answer: .error(ErrorReply(reason: "stub-\(index)"))))
        }

        // The same bytes the emulator answers a valid request with, made once.
        let ok = ByteBuffer(bytes: try CallConsultCodec().encode(CommandResponse.ok, declaringSchemaLocation: true))
        let router = Router()
        router.post("{domain}/service/cc/arm/call_consult") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: CommandResponse.contentType],
                body: .init(byteBuffer: ok))
        }
        let (fixedPorts, fixedPort) = AsyncStream.makeStream(of: Int.self)
        let fixed = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "FixedAnswer"),
            onServerRunning: { channel in
                fixedPort.yield(channel.localAddress?.port ?? 0)
                fixedPort.finish()
            },
            logger: quiet)

        let group = ServiceGroup(
            configuration: .init(services: [emulator, fixed], gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let emulatorPort = try await emulator.listeningPort()
            var port = 0
            for await value in fixedPorts { port = value }
            print("emulator http://127.0.0.1:\(emulatorPort)/\(domain)/service/cc/arm")
            print("fixed http://127.0.0.1:\(port)/\(domain)/service/cc/arm")
            fflush(nil)
            try await tasks.waitForAll()
        }
    }
}
