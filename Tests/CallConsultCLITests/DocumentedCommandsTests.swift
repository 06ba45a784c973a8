import Foundation
import XCTest

/// The commands that the README's `callconsult` section and the DocC article `CommandLine.md`
/// show run as written, and every JSON output they show is what the command right above it prints.
final class DocumentedCommandsTests: XCTestCase {
    /// Runs one shown command line, `swift run callconsult` standing for the built binary.
    private func runShown(_ line: String) throws -> CommandRunner.Run {
        XCTAssertTrue(line.contains("swift run callconsult "), line)
        return try CommandRunner().shell(line.replacingOccurrences(of: "swift run callconsult ", with: #""$0" "#))
    }

    private func checkCommands(in text: String, of name: String) throws {
        let found = MarkdownBlock.blocks(in: text)
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
        try checkCommands(in: try MarkdownBlock.readmeSection("The `callconsult` command"), of: "README.md")
    }

    func testDocCArticleCommands() throws {
        try checkCommands(
            in: try MarkdownBlock.document("Sources/CallConsultKit/Documentation.docc/CommandLine.md"), of: "CommandLine.md")
    }
}
