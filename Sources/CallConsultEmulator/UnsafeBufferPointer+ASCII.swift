/// Byte comparisons for the request's head, read as UTF-8 without making strings.
extension UnsafeBufferPointer<UInt8> {
    /// Whether the bytes from `offset` on start with `text`'s UTF-8.
    @inline(__always)
    func has(_ text: StaticString, at offset: Int) -> Bool {
        guard text.hasPointerRepresentation else { return text.withUTF8Buffer { has($0, at: offset) } }
        return has(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), at: offset)
    }

    /// Whether the bytes from `offset` on start with `text`.
    func has(_ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset >= 0, count - offset >= text.count else { return false }
        var index = 0
        while index < text.count {
            if self[offset + index] != text[index] { return false }
            index += 1
        }
        return true
    }
}
