/// Bounds a document must keep to before and while it is parsed.
///
/// A `call_consult` request is about 150 bytes with three levels of elements and at most five
/// attributes on one element. The defaults leave wide room above that and keep the cost of any
/// hostile body small and linear in its size:
///
/// | limit | default | checked |
/// |---|---|---|
/// | ``maxBodyBytes`` | 65 536 | before parsing |
/// | ``maxDepth`` | 32 | while parsing, at each start tag |
/// | ``maxAttributesPerElement`` | 32 | before parsing (a scan of the bytes) and at each start tag |
///
/// DOCTYPEs are always refused, whatever the limits.
public struct DecodingLimits: Sendable, Hashable {
    /// The largest body accepted, in bytes; a larger one is refused with
    /// ``DocumentError/Kind/tooLarge`` without being parsed.
    public var maxBodyBytes: Int
    /// The deepest element nesting accepted (the root is depth 1).
    public var maxDepth: Int
    /// The most attributes (namespace declarations included) one start tag may carry.
    public var maxAttributesPerElement: Int

    /// Creates limits; each defaults to the value of ``default``.
    public init(maxBodyBytes: Int = 65_536, maxDepth: Int = 32, maxAttributesPerElement: Int = 32) {
        self.maxBodyBytes = maxBodyBytes
        self.maxDepth = maxDepth
        self.maxAttributesPerElement = maxAttributesPerElement
    }

    /// 64 KiB, depth 32, 32 attributes per element.
    public static let `default` = DecodingLimits()
}
