import Foundation
import XCTest

/// Every Swift block of README.md and of the CallConsultKit DocC articles is compiled by this target
/// exactly as shown: each block's lines stand, in order and unchanged, in one of the target's source
/// files. (`// Package.swift` fragments are manifests, not code: `Tests/Fixtures/CodecOnly` builds
/// that form.)
final class ReadmeSnippetsTests: XCTestCase {
    private static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    private static let root = here.deletingLastPathComponent().deletingLastPathComponent()
    private static let catalog = root.appendingPathComponent("Sources/CallConsultKit/Documentation.docc")

    func testEverySwiftBlockOfTheREADMEIsCompiledHere() throws {
        try checkSwiftBlocks(of: Self.root.appendingPathComponent("README.md"), atLeast: 3)
    }

    func testEverySwiftBlockOfTheCallConsultKitArticlesIsCompiledHere() throws {
        let articles = try FileManager.default.contentsOfDirectory(at: Self.catalog, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
        XCTAssertGreaterThanOrEqual(articles.count, 8)
        for article in articles {
            try checkSwiftBlocks(of: article, atLeast: 0)
        }
    }

    private func checkSwiftBlocks(of document: URL, atLeast minimum: Int) throws {
        let text = try String(contentsOf: document, encoding: .utf8)
        let blocks = Self.swiftBlocks(in: text).filter { $0.first != "// Package.swift" }
        XCTAssertGreaterThanOrEqual(blocks.count, minimum, "\(document.lastPathComponent): its Swift blocks were not found")
        let sources = try FileManager.default.contentsOfDirectory(at: Self.here, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
            .map { try String(contentsOf: $0, encoding: .utf8).components(separatedBy: "\n") }
        for block in blocks {
            let found = sources.contains { lines in Self.contains(lines, block) }
            XCTAssertTrue(
                found,
                "\(document.lastPathComponent) block not compiled verbatim by ReadmeExamplesTests:\n\(block.joined(separator: "\n"))"
            )
        }
    }

    /// The lines of each ```swift block, in order.
    private static func swiftBlocks(in text: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String]?
        for line in text.components(separatedBy: "\n") {
            if current == nil, line == "```swift" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current ?? [])
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// Whether `block` stands in `lines` as a run of consecutive lines.
    private static func contains(_ lines: [String], _ block: [String]) -> Bool {
        guard !block.isEmpty, block.count <= lines.count else { return false }
        return (0...(lines.count - block.count)).contains { start in
            block.indices.allSatisfy { lines[start + $0] == block[$0] }
        }
    }
}
