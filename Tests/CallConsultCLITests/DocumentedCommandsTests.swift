import Foundation
import XCTest

/// The commands that the README's `callconsult` section and the DocC article `CommandLine.md`
/// show run as written, and every JSON output they show is what the command right above it prints.
final class DocumentedCommandsTests: XCTestCase {
    /// A fenced code block: its language and its lines, with the prose just before it.
    private struct Block {
        var language: String
        var lines: [String]
        var proseBefore: String
    }

    private func blocks(in text: String) -> [Block] {
        var blocks: [Block] = []
        var prose: [String] = []
        var open: Block?
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
                open = Block(
                    language: String(line.dropFirst(3)), lines: [],
                    proseBefore: prose.joined(separator: " ").trimmingCharacters(in: .whitespaces))
            } else {
                prose.append(line)
            }
        }
        return blocks
    }

    private func document(_ path: String) throws -> String {
        try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// The README's section "The `callconsult` command", up to the next section.
    private func readmeSection() throws -> String {
        let readme = try document("README.md")
        let start = try XCTUnwrap(readme.range(of: "## The `callconsult` command\n"))
        let rest = readme[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }

    /// Runs one shown command line, `swift run callconsult` standing for the built binary.
    private func runShown(_ line: String) throws -> CommandRunner.Run {
        XCTAssertTrue(line.contains("swift run callconsult "), line)
        return try CommandRunner().shell(line.replacingOccurrences(of: "swift run callconsult ", with: #""$0" "#))
    }

    private func checkCommands(in text: String, of name: String) throws {
        let found = blocks(in: text)
        let commands = found.filter { $0.language == "sh" }.flatMap(\.lines)
        XCTAssertFalse(commands.isEmpty, name)
        for command in commands {
            let result = try runShown(command)
            XCTAssertTrue([0, 1].contains(result.status), "\(name): `\(command)` exited \(result.status): \(result.stderr)")
            XCTAssertFalse(result.stdout.isEmpty, "\(name): `\(command)`")
            XCTAssertEqual(result.stderr, "", "\(name): `\(command)`")
        }
        let examples = zip(found, found.dropFirst()).filter { $1.language == "json" && !$1.lines.joined().contains("…") }
        XCTAssertFalse(examples.isEmpty, "\(name) shows no JSON output")
        for (command, output) in examples {
            XCTAssertEqual(command.language, "sh", "\(name): JSON output without the command that prints it")
            XCTAssertEqual(command.lines.count, 1, "\(name): one command above its output")
            XCTAssertEqual(output.proseBefore, "prints:", name)
            let result = try runShown(command.lines.first ?? "")
            XCTAssertEqual(result.lines, output.lines, "\(name): `\(command.lines.first ?? "")`")
        }
    }

    func testReadmeCommands() throws {
        try checkCommands(in: try readmeSection(), of: "README.md")
    }

    func testDocCArticleCommands() throws {
        try checkCommands(in: try document("Sources/CallConsultKit/Documentation.docc/CommandLine.md"), of: "CommandLine.md")
    }
}
