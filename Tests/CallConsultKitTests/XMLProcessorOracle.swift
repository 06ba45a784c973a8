import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A second, independent XML processor (Foundation's `XMLDocument`) that tests ask what a
/// document says, so that round trips are not judged by this library alone.
enum XMLProcessorOracle {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The attributes of the first element named `name` in `body`.
    static func attributes(of name: String, in body: [UInt8]) throws -> [String: String] {
        let document = try XMLDocument(data: Data(body), options: [])
        guard let element = try document.nodes(forXPath: "//\(name)").first as? XMLElement else {
            throw Failure(description: "no <\(name)> in the document")
        }
        var result: [String: String] = [:]
        for attribute in element.attributes ?? [] {
            if let key = attribute.name { result[key] = attribute.stringValue ?? "" }
        }
        return result
    }
}
