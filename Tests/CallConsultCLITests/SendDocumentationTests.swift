import Foundation
import XCTest

/// The README's section "`callconsult send`" runs as written: `callconsult serve` is started as
/// shown (on a free port instead of 8089), and every `send` command above a JSON block prints
/// exactly that block.
final class SendDocumentationTests: XCTestCase {
    /// The section's fenced blocks, each with its language and the prose just before it.
    private func blocks() throws -> [(language: String, lines: [String], prose: String)] {
        let readme = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "## `callconsult send`\n"))
        let rest = readme[start.upperBound...]
        let section = rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
        var blocks: [(String, [String], String)] = []
        var prose: [String] = []
        var open: (String, [String], String)?
        for line in section.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if var block = open {
                if line == "```" {
                    blocks.append(block)
                    open = nil
                    prose = []
                } else {
                    block.1.append(line)
                    open = block
                }
            } else if line.hasPrefix("```") {
                open = (String(line.dropFirst(3)), [], prose.joined(separator: " ").trimmingCharacters(in: .whitespaces))
            } else {
                prose.append(line)
            }
        }
        return blocks
    }

    func testTheSendSectionRunsAsShown() throws {
        let blocks = try blocks()
        let serveLine = try XCTUnwrap(blocks.first { $0.language == "sh" }?.lines.first)
        XCTAssertTrue(serveLine.hasPrefix("swift run callconsult serve ") && serveLine.hasSuffix(" &"), serveLine)
        let serveArguments = serveLine.dropFirst("swift run callconsult ".count).dropLast(2).split(separator: " ").map(
            String.init)

        let runner = try CommandRunner()
        let serve = Process()
        serve.executableURL = runner.executable
        serve.arguments = serveArguments + ["--port", "0"]
        let output = Pipe()
        serve.standardOutput = output
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer {
            serve.terminate()
            serve.waitUntilExit()
        }
        var first = Data()
        for _ in 0..<1000 where !first.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first += chunk
        }
        let listening = String(decoding: first.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        XCTAssertTrue(listening.hasPrefix("listening on http://"), listening)
        let url = String(listening.dropFirst("listening on ".count))

        let examples = zip(blocks, blocks.dropFirst()).filter { $0.language == "sh" && $1.language == "json" }
        XCTAssertEqual(examples.count, 3)
        for (command, shown) in examples {
            XCTAssertEqual(command.lines.count, 1)
            XCTAssertEqual(shown.prose, "prints:")
            let line = try XCTUnwrap(command.lines.first)
            XCTAssertTrue(line.contains("swift run callconsult send "), line)
            let script = line.replacingOccurrences(of: "swift run callconsult ", with: #""$0" "#)
                .replacingOccurrences(of: "http://127.0.0.1:8089", with: url)
            let result = try runner.shell(script)
            XCTAssertEqual(result.lines, shown.lines, "`\(line)`: \(result.stderr)")
            XCTAssertEqual(result.stderr, "", line)
        }
    }
}
