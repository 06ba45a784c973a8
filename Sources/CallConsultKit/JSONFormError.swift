/// Why a text is not the ECSS-10 websocket JSON form of a message.
public struct JSONFormError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// The byte offset in the JSON text where it was found.
    public var offset: Int

    /// Creates an error.
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `offset N: message`.
    public var description: String { "offset \(offset): \(message)" }
}
