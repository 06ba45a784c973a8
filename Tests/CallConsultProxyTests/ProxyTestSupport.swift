import AsyncHTTPClient
import CallConsultEmulator
import CallConsultKit
import CallConsultProxy
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import XCTest

/// What the tests send and see: a raw answer, every header field kept.
struct RawAnswer: Equatable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    static func == (lhs: RawAnswer, rhs: RawAnswer) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.0): \($0.1)" } == rhs.headers.map { "\($0.0): \($0.1)" }
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The value of `Set-Cookie` up to its first `;`, for a `Cookie` field.
    var cookie: String? {
        headers.first { $0.0.lowercased() == "set-cookie" }.flatMap { $0.1.split(separator: ";").first }.map(String.init)
    }

    /// The fields but `Date`, which the two servers write each at its own second.
    var fieldsButDate: [String] {
        headers.filter { $0.0.lowercased() != "date" }.map { "\($0.0.lowercased()): \($0.1)" }
    }
}

enum ProxyTest {
    static let domain = "example.domain"
    static let credentials = LoginRequest(clientID: "crm", apiKey: "s3cret-KEY-9", phoneNumber: "1001")
    static let login = #"<in><request client_id="crm" api_key="s3cret-KEY-9" phone_number="1001"/></in>"#
    static let hold = #"<in><request><call_hold conversation_id="c-1"/></request></in>"#

    /// Sends `body` to `url` with AsyncHTTPClient (no cookie kept); every header field and byte seen.
    static func send(
        _ url: String, method: HTTPMethod = .POST, body: String? = nil, headers: [(String, String)] = []
    ) async throws -> RawAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return RawAnswer(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Array(bytes.readableBytesView))
    }

    /// Runs an emulator (upstream) and a proxy in front of it; `body` gets both and the
    /// exchanges the proxy reported so far.
    static func withProxy<T: Sendable>(
        emulator emulatorConfiguration: ECSSEmulator.Configuration? = nil,
        strict: Bool = false,
        _ body: (ECSSEmulator.Running, String, @Sendable () -> [ECSSProxy.Exchange]) async throws -> T
    ) async throws -> T {
        var emulatorConfiguration = emulatorConfiguration ?? ECSSEmulator.Configuration(credentials: credentials)
        emulatorConfiguration.port = 0
        return try await ECSSEmulator.withRunning(configuration: emulatorConfiguration) { running in
            let seen = NIOLockedValueBox<[ECSSProxy.Exchange]>([])
            let configuration = ECSSProxy.Configuration(
                upstream: try XCTUnwrap(URL(string: running.baseURL)), port: 0, strict: strict)
            return try await ECSSProxy.withRunning(
                configuration: configuration, onExchange: { exchange in seen.withLockedValue { $0.append(exchange) } }
            ) { _, port in
                try await body(running, "http://127.0.0.1:\(port)", { seen.withLockedValue { $0 } })
            }
        }
    }

    /// `BASE/<domain>/service/cc/arm/<command>`.
    static func url(_ base: String, _ command: String, domain: String = domain) -> String {
        "\(base)/\(domain)/service/cc/arm/\(command)"
    }
}
