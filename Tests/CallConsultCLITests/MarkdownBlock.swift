import Foundation
import XCTest

/// A fenced code block of a Markdown document: its language, its lines, and the prose just before
/// it (joined onto one line), as the documentation tests read README.md and the DocC articles.
struct MarkdownBlock {
    var language: String
    var lines: [String]
    var proseBefore: String

    /// The fenced blocks of `text`, in order.
    static func blocks(in text: String) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var prose: [String] = []
        var open: MarkdownBlock?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if var block = open {
                if line == "```" {
                    blocks.append(block)
                    open = nil
                    prose = []
                } else {
                    block.lines.append(line)
                    open = block
                }
            } else if line.hasPrefix("```") {
                open = MarkdownBlock(
                    language: String(line.dropFirst(3)), lines: [],
                    proseBefore: prose.joined(separator: " ").trimmingCharacters(in: .whitespaces))
            } else {
                prose.append(line)
            }
        }
        return blocks
    }

    /// The text of the package's file at `path`.
    static func document(_ path: String) throws -> String {
        try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// The README's section under `heading` (a `## ` line, given without its `## `), up to the
    /// next section.
    static func readmeSection(_ heading: String) throws -> String {
        let readme = try document("README.md")
        let start = try XCTUnwrap(readme.range(of: "## \(heading)\n"), "README has no section \(heading)")
        let rest = readme[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }
}
