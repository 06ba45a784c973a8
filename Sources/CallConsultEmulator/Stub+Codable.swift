import CallConsultKit

/// A coding key made at run time: the admin API's JSON keys, checked against a list so that an
/// unknown one is refused by name.
struct JSONKey: CodingKey, ExpressibleByStringLiteral {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { self.stringValue = value }

    /// Throws `DecodingError.dataCorrupted` at the first key of `container` not in `allowed`.
    static func refuseUnknown(_ container: KeyedDecodingContainer<JSONKey>, allowed: Set<String>) throws {
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath + [JSONKey(stringValue: unknown)], debugDescription: "unknown field"))
        }
    }
}

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator.Stub: Codable {
    private static let keys: Set<String> = [
        "command", "domain", "match", "answer", "status", "fault", "times", "scenario", "required_state", "new_state",
    ]

    /// Decodes the admin API's JSON form, refusing a key it does not know.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        try JSONKey.refuseUnknown(container, allowed: Self.keys)
        command = try container.decode(CommandName.self, forKey: "command")
        domain = try container.decodeIfPresent(String.self, forKey: "domain")
        match = try container.decodeIfPresent([String: String].self, forKey: "match") ?? [:]
        answer = try container.decodeIfPresent(AnswerForm.self, forKey: "answer")?.response
        status = try container.decodeIfPresent(Int.self, forKey: "status")
        fault = try container.decodeIfPresent(ECSSEmulator.Fault.self, forKey: "fault")
        times = try container.decodeIfPresent(Int.self, forKey: "times")
        scenario = try container.decodeIfPresent(String.self, forKey: "scenario")
        requiredState = try container.decodeIfPresent(String.self, forKey: "required_state")
        newState = try container.decodeIfPresent(String.self, forKey: "new_state")
    }

    /// Encodes the admin API's JSON form, leaving out what is not set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try encodeFields(into: &container)
    }

    /// The stub's keys, into a container that may hold others (the listing adds `id` and
    /// `remaining`).
    func encodeFields(into container: inout KeyedEncodingContainer<JSONKey>) throws {
        try container.encode(command, forKey: "command")
        try container.encodeIfPresent(domain, forKey: "domain")
        if !match.isEmpty { try container.encode(match, forKey: "match") }
        try container.encodeIfPresent(answer.map(AnswerForm.init), forKey: "answer")
        try container.encodeIfPresent(status, forKey: "status")
        try container.encodeIfPresent(fault, forKey: "fault")
        try container.encodeIfPresent(times, forKey: "times")
        try container.encodeIfPresent(scenario, forKey: "scenario")
        try container.encodeIfPresent(requiredState, forKey: "required_state")
        try container.encodeIfPresent(newState, forKey: "new_state")
    }
}

/// `{"ok": true}` or `{"error": {"reason": "…", "cmd": "…"?, "body": "…"?}}`.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct AnswerForm: Codable {
    var response: CommandResponse

    init(_ response: CommandResponse) { self.response = response }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        try JSONKey.refuseUnknown(container, allowed: ["ok", "error"])
        let ok = try container.decodeIfPresent(Bool.self, forKey: "ok")
        guard container.contains("error") else {
            guard ok == true else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: container.codingPath + [JSONKey("ok")],
                        debugDescription: #"an answer is {"ok": true} or {"error": {"reason": …}}"#))
            }
            response = .ok
            return
        }
        guard ok == nil else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: container.codingPath + [JSONKey("ok")], debugDescription: "an answer is ok or an error, not both")
            )
        }
        let error = try container.nestedContainer(keyedBy: JSONKey.self, forKey: "error")
        try JSONKey.refuseUnknown(error, allowed: ["reason", "cmd", "body"])
        response = .error(
            ErrorReply(
                reason: try error.decode(String.self, forKey: "reason"),
                command: try error.decodeIfPresent(String.self, forKey: "cmd"),
                body: try error.decodeIfPresent(String.self, forKey: "body")))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        switch response {
        case .ok: try container.encode(true, forKey: "ok")
        case .error(let reply):
            var error = container.nestedContainer(keyedBy: JSONKey.self, forKey: "error")
            try error.encode(reply.reason, forKey: "reason")
            try error.encodeIfPresent(reply.command, forKey: "cmd")
            try error.encodeIfPresent(reply.body, forKey: "body")
        }
    }
}

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator.Fault: Codable {
    private static let keys: Set<String> = ["kind", "delay_ms", "status", "content_type", "body", "headers"]

    /// Decodes the admin API's JSON form, refusing a key it does not know.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        try JSONKey.refuseUnknown(container, allowed: Self.keys)
        kind = try container.decode(Kind.self, forKey: "kind")
        delayMilliseconds = try container.decodeIfPresent(Int.self, forKey: "delay_ms")
        status = try container.decodeIfPresent(Int.self, forKey: "status")
        contentType = try container.decodeIfPresent(String.self, forKey: "content_type")
        body = try container.decodeIfPresent(String.self, forKey: "body")
        headers = try container.decodeIfPresent([String: String].self, forKey: "headers") ?? [:]
    }

    /// Encodes the admin API's JSON form, leaving out what is not set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(kind, forKey: "kind")
        try container.encodeIfPresent(delayMilliseconds, forKey: "delay_ms")
        try container.encodeIfPresent(status, forKey: "status")
        try container.encodeIfPresent(contentType, forKey: "content_type")
        try container.encodeIfPresent(body, forKey: "body")
        if !headers.isEmpty { try container.encode(headers, forKey: "headers") }
    }
}
