import CallConsultKit

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator.Stub {
    /// The most a delay may be: ten minutes.
    static let maxDelayMilliseconds = 600_000
    /// The longest name, state, domain, match value or fault body a stub may hold, in bytes.
    static let maxTextBytes = 65_536

    /// Checks everything decoding cannot: that the emulator could carry the stub out.
    /// - Throws: ``ECSSEmulator/StubError`` naming the first field that is wrong.
    package func validate() throws(ECSSEmulator.StubError) {
        func refuse(_ field: String, _ message: String) -> ECSSEmulator.StubError {
            ECSSEmulator.StubError(field: field, message: message)
        }
        func text(_ field: String, _ value: String?) throws(ECSSEmulator.StubError) {
            guard let value else { return }
            if value.isEmpty { throw refuse(field, "must not be empty") }
            if value.utf8.count > Self.maxTextBytes { throw refuse(field, "over \(Self.maxTextBytes) bytes") }
        }
        try text("domain", domain)
        if let domain, !Route.isPlainName(domain) { throw refuse("domain", "not a domain name (letters, digits, . _ - ~)") }
        let known = ECSSRequest.matchableAttributes(of: command)
        for (name, value) in match.sorted(by: { $0.key < $1.key }) {
            guard known.contains(name) else {
                throw refuse(
                    "match.\(name)", "\(command) has no such attribute (it has \(known.sorted().joined(separator: ", ")))")
            }
            if value.utf8.count > Self.maxTextBytes { throw refuse("match.\(name)", "over \(Self.maxTextBytes) bytes") }
        }
        if let times, times < 1 { throw refuse("times", "must be at least 1") }
        try text("scenario", scenario)
        try text("required_state", requiredState)
        try text("new_state", newState)
        if scenario == nil, requiredState != nil { throw refuse("required_state", "needs a scenario") }
        if scenario == nil, newState != nil { throw refuse("new_state", "needs a scenario") }
        if let status, !(100...599).contains(status) { throw refuse("status", "not an HTTP status (100 to 599)") }
        if command == .login {
            if answer != nil { throw refuse("answer", "a stub on login may carry a fault, never an answer") }
            if status != nil { throw refuse("status", "a stub on login may carry a fault, never an answer") }
            if fault == nil { throw refuse("fault", "a stub on login must carry a fault") }
        }
        if let fault { try validate(fault, refuse) }
        if let answer { try validate(answer, refuse) }
    }

    private func validate(
        _ fault: ECSSEmulator.Fault, _ refuse: (String, String) -> ECSSEmulator.StubError
    ) throws(ECSSEmulator.StubError) {
        let kind = fault.kind
        if kind == .delay {
            guard let delay = fault.delayMilliseconds else { throw refuse("fault.delay_ms", "required for a delay") }
            if !(0...Self.maxDelayMilliseconds).contains(delay) {
                throw refuse("fault.delay_ms", "must be 0 to \(Self.maxDelayMilliseconds)")
            }
        } else if fault.delayMilliseconds != nil {
            throw refuse("fault.delay_ms", "only for a delay")
        }
        if kind == .http {
            guard let status = fault.status else { throw refuse("fault.status", "required for an http fault") }
            if !(200...599).contains(status) { throw refuse("fault.status", "not an HTTP status (200 to 599)") }
            if let type = fault.contentType, type.isEmpty || !Self.isFieldValue(type) {
                throw refuse("fault.content_type", "not a header value")
            }
            if let body = fault.body, body.utf8.count > Self.maxTextBytes {
                throw refuse("fault.body", "over \(Self.maxTextBytes) bytes")
            }
            for (name, value) in fault.headers.sorted(by: { $0.key < $1.key }) {
                if !Self.isToken(name) { throw refuse("fault.headers.\(name)", "not a header name") }
                if !Self.isFieldValue(value) { throw refuse("fault.headers.\(name)", "not a header value") }
                if ["content-length", "transfer-encoding", "connection"].contains(name.lowercased()) {
                    throw refuse("fault.headers.\(name)", "set by the emulator")
                }
            }
        } else {
            for (field, set) in [
                ("status", fault.status != nil), ("content_type", fault.contentType != nil), ("body", fault.body != nil),
                ("headers", !fault.headers.isEmpty),
            ] where set {
                throw refuse("fault.\(field)", "only for an http fault")
            }
        }
        switch kind {
        case .resetBeforeBody where !match.isEmpty:
            throw refuse("match", "reset_before_body closes before the body is read: it cannot match on attributes")
        case .sessionLost where command == .login:
            throw refuse("fault.kind", "a login has no session to lose")
        default: break
        }
        let answers = kind == .delay || kind == .truncated
        if !answers, answer != nil { throw refuse("answer", "\(kind.rawValue) sends no answer of the command") }
        if !answers, status != nil { throw refuse("status", "\(kind.rawValue) sends no answer of the command") }
    }

    private func validate(
        _ answer: CommandResponse, _ refuse: (String, String) -> ECSSEmulator.StubError
    ) throws(ECSSEmulator.StubError) {
        guard case .error(let reply) = answer else { return }
        if reply.reason.isEmpty { throw refuse("answer.error.reason", "must not be empty") }
        for (field, value) in [("reason", reply.reason), ("cmd", reply.command), ("body", reply.body)] {
            if let value, value.utf8.count > Self.maxTextBytes {
                throw refuse("answer.error.\(field)", "over \(Self.maxTextBytes) bytes")
            }
        }
        // monitor has no <out>: its error is a 404 with the reason as text.
        guard command.hasResponseDocument else { return }
        let codec = CallConsultCodec()
        let bytes: [UInt8]
        do {
            bytes = try codec.encode(answer, command: command, declaringSchemaLocation: true)
        } catch {
            throw refuse("answer.error", "\(error)")
        }
        do {
            _ = try codec.decodeResponse(bytes, command: command)
        } catch {
            throw refuse("answer.error", "not valid against \(command.schemaFileName): \(error.kind.code)")
        }
    }

    /// An HTTP token (RFC 9110): the characters a header name may hold.
    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 256
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
                }
            }
    }

    /// A header value: visible ASCII, spaces and tabs, and no line break.
    private static func isFieldValue(_ value: String) -> Bool {
        value.utf8.count <= 8192 && value.utf8.allSatisfy { $0 == 0x09 || (0x20...0x7E).contains($0) }
    }
}
