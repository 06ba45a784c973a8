import Foundation

/// One HTTP message as read off the wire by ``RawConnection/readMessage(bodyless:)``: every field
/// in its order and spelling, and the body's bytes.
public struct RawMessage: Sendable {
    /// The first line without its CRLF, e.g. `HTTP/1.1 200 OK`.
    public var statusLine: String
    /// The header fields in order, names as written, values without surrounding spaces.
    public var fields: [(name: String, value: String)]
    /// The body's bytes.
    public var body: [UInt8]

    /// A message with these parts.
    public init(statusLine: String, fields: [(name: String, value: String)], body: [UInt8]) {
        self.statusLine = statusLine
        self.fields = fields
        self.body = body
    }

    /// The status code on the status line (0 when there is none).
    public var status: Int {
        statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    }

    /// The body as UTF-8.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The values of the fields named `name` (any case), in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The fields as `name: value` lines, names lower-cased, in order.
    public var lines: [String] { fields.map { "\($0.name.lowercased()): \($0.value)" } }
}
