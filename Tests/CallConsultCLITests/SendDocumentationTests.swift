import Foundation
import XCTest

/// The README's section "`callconsult send`" runs as written: `callconsult serve` is started as
/// shown (on a free port instead of 8089), and every `send` command above a JSON block prints
/// exactly that block.
final class SendDocumentationTests: XCTestCase {
    func testTheSendSectionRunsAsShown() throws {
        let blocks = MarkdownBlock.blocks(in: try MarkdownBlock.readmeSection("`callconsult send`"))
        let serveLine = try XCTUnwrap(blocks.first { $0.language == "sh" }?.lines.first)
        XCTAssertTrue(serveLine.hasPrefix("swift run callconsult serve ") && serveLine.hasSuffix(" &"), serveLine)
        let serveArguments = serveLine.dropFirst("swift run callconsult serve ".count).dropLast(2).split(separator: " ")
        let serve = try ServeProcess(serveArguments.map(String.init) + ["--port", "0"])
        defer { _ = serve.stop() }
        let url = serve.baseURL
        let runner = try CommandRunner()

        let examples = zip(blocks, blocks.dropFirst()).filter { $0.language == "sh" && $1.language == "json" }
        XCTAssertEqual(examples.count, 3)
        for (command, shown) in examples {
            XCTAssertEqual(command.lines.count, 1)
            XCTAssertEqual(shown.proseBefore, "prints:")
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
