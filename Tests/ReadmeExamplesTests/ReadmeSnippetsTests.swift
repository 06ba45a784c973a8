import Foundation
import XCTest

/// Every Swift block of README.md is compiled by this target exactly as shown: each block's lines
/// stand, in order and unchanged, in one of the target's source files. (`// Package.swift`
/// fragments are manifests, not code: `Tests/Fixtures/CodecOnly` builds that form.)
final class ReadmeSnippetsTests: XCTestCase {
    private static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    private static let readme = here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

    func testEverySwiftBlockOfTheREADMEIsCompiledHere() throws {
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        let blocks = Self.swiftBlocks(in: readme).filter { $0.first != "// Package.swift" }
        XCTAssertGreaterThanOrEqual(blocks.count, 5, "README's Swift blocks were not found")
        let sources = try FileManager.default.contentsOfDirectory(at: Self.here, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
            .map { try String(contentsOf: $0, encoding: .utf8).components(separatedBy: "\n") }
        for block in blocks {
            let found = sources.contains { lines in Self.contains(lines, block) }
            XCTAssertTrue(found, "README block not compiled verbatim by ReadmeExamplesTests:\n\(block.joined(separator: "\n"))")
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
