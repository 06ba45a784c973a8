/// Byte comparisons for the request's head, read as UTF-8 without making strings.
extension UnsafeBufferPointer<UInt8> {
    /// Whether the bytes from `offset` on start with `text`'s UTF-8.
    func has(_ text: StaticString, at offset: Int) -> Bool {
        text.withUTF8Buffer { text in
            guard offset >= 0, count - offset >= text.count else { return false }
            for index in 0..<text.count where self[offset + index] != text[index] { return false }
            return true
        }
    }
}
