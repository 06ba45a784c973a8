import AsyncHTTPClient
import CallConsultClient
import CallConsultKit
import Foundation
import NIOCore

/// ECSSClient against AsyncHTTPClient posting the same bytes, in alternating rounds: through
/// `HTTPClient.shared` (AsyncHTTPClient as most code uses it) and through an `HTTPClient`
/// configured as ECSSClient's own (the same transport, configured alike).
struct ClientBench {
    let baseURL: String
    let domain: String
    let seconds: Double
    let rounds: Int

    func run(taskCounts: [Int]) async throws {
        let credentials = LoginRequest(
            clientID: BenchCredentials.clientID, apiKey: BenchCredentials.apiKey, phoneNumber: BenchCredentials.phoneNumber)
        let client = try ECSSClient(configuration: .init(baseURL: baseURL, domain: domain, credentials: credentials))
        let request = CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42")
        try await client.login()
        let codec = CallConsultCodec()
        let cookie = try await Self.rawLogin(
            url: "\(baseURL)/\(domain)/service/cc/arm/login", body: try codec.encode(credentials))
        let url = "\(baseURL)/\(domain)/service/cc/arm/call_consult"
        let raw = RawPoster(url: url, cookie: cookie, body: try codec.encode(request), httpClient: .shared)
        let same = RawPoster(
            url: url, cookie: cookie, body: try codec.encode(request), httpClient: RawPoster.sameConfigurationHTTPClient)

        for tasks in taskCounts {
            // One round of each to warm up connections and caches.
            _ = try await Self.callsPerSecond(tasks: tasks, seconds: 0.5) { _ = try await client.callConsult(request) }
            _ = try await Self.callsPerSecond(tasks: tasks, seconds: 0.5) { try await raw.post() }
            _ = try await Self.callsPerSecond(tasks: tasks, seconds: 0.5) { try await same.post() }
            var ours: [Double] = []
            var shared: [Double] = []
            var alike: [Double] = []
            var ratios: [Double] = []
            var alikeRatios: [Double] = []
            for _ in 0..<rounds {
                let mine = try await Self.callsPerSecond(tasks: tasks, seconds: seconds) {
                    _ = try await client.callConsult(request)
                }
                let plain = try await Self.callsPerSecond(tasks: tasks, seconds: seconds) { try await raw.post() }
                let plainAlike = try await Self.callsPerSecond(tasks: tasks, seconds: seconds) { try await same.post() }
                ours.append(mine)
                shared.append(plain)
                alike.append(plainAlike)
                ratios.append(mine / plain)
                alikeRatios.append(mine / plainAlike)
            }
            print(
                #"{"benchmark": "client call_consult, \#(tasks) tasks", "ecssclient_calls_per_s": \#(Self.median(ours).rounded()), "ahc_calls_per_s": \#(Self.median(shared).rounded()), "ratio": \#(Self.format(Self.median(ratios))), "ratio_min": \#(Self.format(ratios.min() ?? 0)), "ratio_max": \#(Self.format(ratios.max() ?? 0)), "ahc_same_configuration_calls_per_s": \#(Self.median(alike).rounded()), "ratio_same_configuration": \#(Self.format(Self.median(alikeRatios))), "rounds": \#(rounds), "seconds_per_round": \#(seconds)}"#
            )
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    /// Runs `call` from `tasks` tasks at once for `seconds`, and returns calls completed per second.
    static func callsPerSecond(
        tasks: Int, seconds: Double, _ call: @escaping @Sendable () async throws -> Void
    ) async throws -> Double {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        try await call()
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - start
        return Double(total) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Logs in with plain AsyncHTTPClient and returns the session cookie (`NAME=value`).
    static func rawLogin(url: String, body: [UInt8]) async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/xml; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok,
            let setCookie = response.headers["Set-Cookie"].first,
            let pair = setCookie.split(separator: ";").first
        else { throw UsageError("the raw login was refused (\(response.status.code))") }
        return String(pair)
    }
}

/// Posts fixed bytes with a fixed cookie and reads the answer without decoding it.
struct RawPoster: Sendable {
    let url: String
    let cookie: String
    let body: ByteBuffer
    let httpClient: HTTPClient

    init(url: String, cookie: String, body: [UInt8], httpClient: HTTPClient) {
        self.url = url
        self.cookie = cookie
        self.body = ByteBuffer(bytes: body)
        self.httpClient = httpClient
    }

    /// An `HTTPClient` configured as the one `ECSSClient` makes for itself when given none
    /// (`ECSSClient+DefaultHTTPClient.swift`): AsyncHTTPClient's `singletonConfiguration` with
    /// redirects off, decompression off and no tracer (none is bootstrapped here). Against it, the
    /// comparison is of the same transport, configured alike: what ECSSClient adds on top.
    static let sameConfigurationHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    func post() async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/xml; charset=utf-8")
        request.headers.add(name: "Cookie", value: cookie)
        request.body = .bytes(body)
        let response = try await httpClient.execute(request, timeout: .seconds(10))
        let answer = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok, answer.readableBytes > 0 else {
            throw UsageError("the raw call_consult was answered \(response.status.code)")
        }
    }
}
