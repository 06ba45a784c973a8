import CallConsultKit
import Foundation
import Hummingbird
import NIOCore

/// The admin API under `/__admin/`: JSON in and out, no session, the same stores as the Swift
/// API (``ECSSEmulator/addStub(_:)``, ``ECSSEmulator/exchanges``, …). Its requests are not
/// journaled.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct AdminResponder: Sendable {
    /// The largest admin body read: 1 MiB; a larger one is answered 413.
    static let maxBodyBytes = 1 << 20

    let emulator: ECSSEmulator

    /// Whether the route is the admin API's: a path the data plane does not serve, or one whose
    /// domain segment is `__admin`, under `/__admin`.
    static func isAdmin(_ route: Route) -> Bool {
        switch route.command {
        case .other(let path): path == "/__admin" || path.hasPrefix("/__admin/")
        case .named: route.domain == "__admin"
        }
    }

    func respond(to request: Request) async -> Response {
        let path = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).dropFirst().map(String.init)
        let method = request.method
        switch (path.first, path.count) {
        case ("stubs", 1):
            switch method {
            case .post: return await addStub(request)
            case .get: return listStubs(request)
            case .delete:
                emulator.removeAllStubs()
                return Self.noContent
            default: return Self.methodNotAllowed("GET, POST, DELETE")
            }
        case ("stubs", 2):
            guard method == .delete else { return Self.methodNotAllowed("DELETE") }
            return emulator.removeStub(id: path[1]) ? Self.noContent : Self.error(404, field: nil, "no stub \(path[1])")
        case ("exchanges", 1):
            switch method {
            case .get: return listExchanges(request)
            case .delete:
                emulator.removeAllExchanges()
                return Self.noContent
            default: return Self.methodNotAllowed("GET, DELETE")
            }
        case ("scenarios", 1):
            guard method == .get else { return Self.methodNotAllowed("GET") }
            return Self.json(200, AdminJSON.scenarios(emulator.scenarios))
        case ("scenarios", 2) where path[1] == "reset":
            guard method == .post else { return Self.methodNotAllowed("POST") }
            emulator.resetScenarios()
            return Self.noContent
        case ("sessions", 1):
            guard method == .delete else { return Self.methodNotAllowed("DELETE") }
            emulator.endAllSessions()
            return Self.noContent
        case ("reset", 1):
            guard method == .post else { return Self.methodNotAllowed("POST") }
            emulator.reset()
            return Self.noContent
        default:
            return Self.error(404, field: nil, "no such admin resource: \(request.uri.path)")
        }
    }

    private func addStub(_ request: Request) async -> Response {
        if let announced = EmulatorResponder.announcedLength(request.headers), announced > Self.maxBodyBytes {
            return Self.error(413, field: nil, "the body is over \(Self.maxBodyBytes) bytes")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return Self.error(413, field: nil, "the body is over \(Self.maxBodyBytes) bytes")
        } catch {
            return Self.error(400, field: nil, "the body could not be read")
        }
        do {
            let stub = try ECSSEmulator.Stub(json: body.readableBytesView)
            let id = try emulator.addStub(stub)
            return Self.json(201, #"{"id": \#(JSONString.quoted(id))}"#)
        } catch {
            return Self.error(400, field: error.field.isEmpty ? nil : error.field, error.description)
        }
    }

    private func listStubs(_ request: Request) -> Response {
        if let unknown = Self.unknownParameter(request, allowed: []) { return unknown }
        return Self.json(200, AdminJSON.stubs(emulator.stubs))
    }

    private func listExchanges(_ request: Request) -> Response {
        if let unknown = Self.unknownParameter(request, allowed: ["command", "domain", "since"]) { return unknown }
        let query = request.uri.queryParameters
        var since = 0
        if let text = query["since"] {
            guard let value = Int(String(text)), value >= 0 else {
                return Self.error(400, field: "since", "since: expected a sequence number (an integer, 0 or more)")
            }
            since = value
        }
        let command = query["command"].map(String.init)
        let domain = query["domain"].map(String.init)
        let exchanges = emulator.exchanges(since: since).filter { exchange in
            (command.map { $0 == "\(exchange.command)" } ?? true) && (domain.map { $0 == exchange.domain } ?? true)
        }
        return Self.json(200, AdminJSON.exchanges(exchanges))
    }

    /// 400 naming the first query parameter not in `allowed`.
    private static func unknownParameter(_ request: Request, allowed: Set<String>) -> Response? {
        guard let name = request.uri.queryParameters.map({ String($0.key) }).first(where: { !allowed.contains($0) }) else {
            return nil
        }
        return error(400, field: name, "\(name): unknown query parameter")
    }

    private static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    private static var noContent: Response { Response(status: .noContent) }

    private static func json(_ status: Int, _ text: String) -> Response {
        Response(status: .init(code: status), headers: jsonHeaders, body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    /// `{"error": "…", "field": "…" or null}` with `status`.
    private static func error(_ status: Int, field: String?, _ message: String) -> Response {
        json(status, #"{"error": \#(JSONString.quoted(message)), "field": \#(field.map(JSONString.quoted) ?? "null")}"#)
    }

    private static func methodNotAllowed(_ allowed: String) -> Response {
        var response = error(405, field: nil, "method not allowed: use \(allowed)")
        response.headers[.allow] = allowed
        return response
    }
}
