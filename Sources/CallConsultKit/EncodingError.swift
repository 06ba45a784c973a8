/// A value that XML 1.0 cannot carry, found while encoding.
///
/// XML 1.0 has no way to write most C0 control characters (U+0000–U+0008, U+000B, U+000C,
/// U+000E–U+001F) or U+FFFE and U+FFFF, not even as character references. Rather than produce
/// a document that no XML processor accepts, the encoder refuses such a value.
public struct EncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The attribute whose value could not be written, e.g. `conversation_id`.
    public var attribute: String
    /// The character XML 1.0 cannot carry.
    public var character: Unicode.Scalar
    /// Its offset in the value, counted in Unicode scalars from 0.
    public var offset: Int

    /// Creates an encoding error.
    public init(attribute: String, character: Unicode.Scalar, offset: Int) {
        self.attribute = attribute
        self.character = character
        self.offset = offset
    }

    /// A sentence naming the attribute, the character and where it stands.
    public var description: String {
        let hex = String(character.value, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return "attribute '\(attribute)' holds U+\(padded) at offset \(offset), which XML 1.0 cannot represent"
    }
}
