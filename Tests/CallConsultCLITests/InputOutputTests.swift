import Foundation
import XCTest

/// How `callconsult` reads its inputs and writes its output when the system says no: every read
/// failure is an `unreadable` input, reads stop after `--max-body-bytes` + 1 bytes, and a lost
/// output is reported on standard error with exit status 74.
final class InputOutputTests: XCTestCase {
    private var runner: CommandRunner {
        get throws { try CommandRunner() }
    }

    /// The one JSON object printed for one input.
    private func onlyObject(_ run: CommandRunner.Run, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any]
    {
        XCTAssertEqual(run.lines.count, 1, run.stdout + run.stderr, file: file, line: line)
        return try CommandRunner.json(run.lines.first ?? "")
    }

    private func firstMessage(_ object: [String: Any]) -> String? {
        ((object["issues"] as? [[String: Any]])?.first)?["message"] as? String
    }

    /// A shell prefix that caps the child's address space, so that a regression to unbounded
    /// reads fails at once instead of filling the machine's memory. Not under ASan or TSan, whose
    /// shadow memory needs terabytes of address space.
    private var memoryCap: String {
        let sanitized = ["__asan_init", "__tsan_init"].contains { (name: String) in
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) != nil
        }
        return sanitized ? "" : "ulimit -v 600000; "
    }

    // MARK: Reading

    func testClosedStandardInputIsUnreadable() throws {
        let result = try runner.shell(#"exec "$0" validate --json - <&-"#)
        XCTAssertFalse(result.signaled, "killed by signal \(result.status): \(result.stderr)")
        XCTAssertEqual(result.status, 1)
        let object = try onlyObject(result)
        XCTAssertEqual(object["kind"] as? String, "unreadable")
        XCTAssertEqual(firstMessage(object), "cannot read standard input: \(String(cString: strerror(EBADF)))")
    }

    func testClosedStandardInputIsNotTakenByAFileOpenedLater() throws {
        // With descriptor 0 closed, the first file opened would get it; '-' must still be unreadable.
        let result = try runner.shell(#"exec "$0" validate --json Examples/valid-request.xml - <&-"#)
        XCTAssertEqual(result.status, 1)
        let kinds = try result.lines.map { try CommandRunner.json($0)["kind"] as? String }
        XCTAssertEqual(kinds, [nil, "unreadable"])
    }

    func testEndlessStandardInputIsTooLarge() throws {
        let result = try runner.shell(memoryCap + #"exec "$0" validate --json - </dev/zero"#)
        XCTAssertFalse(result.signaled, "killed by signal \(result.status): \(result.stderr)")
        XCTAssertEqual(result.status, 1)
        let object = try onlyObject(result)
        XCTAssertEqual(object["kind"] as? String, "too_large")
        XCTAssertEqual(
            firstMessage(object), "the body is more than 65536 bytes; at most 65536 are accepted (--max-body-bytes)")
    }

    func testReadsStopAfterTheLimitPlusOneByte() throws {
        // The test writes 16 MiB into the child's standard input and counts what the pipe takes
        // before the child exits: the limit + 1 bytes it reads, plus what the pipe buffers.
        let process = Process()
        process.executableURL = try runner.executable
        process.arguments = ["validate", "--json", "--max-body-bytes", "100", "-"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()  // closes this process's copy of the pipe's reading end
        let writer = input.fileHandleForWriting.fileDescriptor
        let savedHandler = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, savedHandler) }
        let chunk = [UInt8](repeating: UInt8(ascii: "<"), count: 4096)
        var accepted = 0
        while accepted < 16 << 20 {
            let count = chunk.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            accepted += count
        }
        try input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertLessThan(accepted, 4 << 20, "the child kept reading past --max-body-bytes")
        let object = try CommandRunner.json(String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .newlines))
        XCTAssertEqual(object["kind"] as? String, "too_large")
    }

    func testHugeFileIsTooLargeWithoutBeingRead() throws {
        let folder = try temporaryFolder()
        let big = folder.appendingPathComponent("big.xml")
        XCTAssertTrue(FileManager.default.createFile(atPath: big.path, contents: Data("<in>".utf8)))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 1 << 30)  // sparse: takes no disk space
        try handle.close()
        let result = try runner.shell(memoryCap + #"exec "$0" validate --json --max-body-bytes 1000 "$1""#, [big.path])
        XCTAssertFalse(result.signaled, "killed by signal \(result.status): \(result.stderr)")
        XCTAssertEqual(result.status, 1)
        let object = try onlyObject(result)
        XCTAssertEqual(object["kind"] as? String, "too_large")
        XCTAssertEqual(firstMessage(object), "the body is more than 1000 bytes; at most 1000 are accepted (--max-body-bytes)")
    }

    func testFileOfExactlyTheLimitIsRead() throws {
        let body = try Data(contentsOf: CommandRunner.packageRoot.appendingPathComponent("Examples/valid-request.xml"))
        let exact = try runner.run(["validate", "--max-body-bytes", "\(body.count)", "Examples/valid-request.xml"])
        XCTAssertEqual(exact.status, 0, exact.stdout)
        let under = try runner.run(["validate", "--json", "--max-body-bytes", "\(body.count - 1)", "-"], stdin: body)
        XCTAssertEqual(under.status, 1)
        XCTAssertEqual(
            firstMessage(try onlyObject(under)),
            "the body is more than \(body.count - 1) bytes; at most \(body.count - 1) are accepted (--max-body-bytes)")
    }

    func testUnreadableFilesSayWhy() throws {
        let folder = try temporaryFolder()
        let locked = folder.appendingPathComponent("locked.xml")
        XCTAssertTrue(FileManager.default.createFile(atPath: locked.path, contents: Data("<in/>".utf8)))
        XCTAssertEqual(chmod(locked.path, 0), 0)
        // As root, drop the capabilities that bypass file permissions, as an ordinary user has none.
        let prefix = geteuid() == 0 ? "setpriv --bounding-set=-dac_override,-dac_read_search " : ""
        if prefix.isEmpty == false, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") == false {
            throw XCTSkip("running as root without setpriv: cannot make a file unreadable")
        }
        let result = try runner.shell(
            "exec " + prefix + #""$0" validate --json Examples "$1" Examples/no-such-file.xml - </tmp"#, [locked.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        let objects = try result.lines.map(CommandRunner.json)
        XCTAssertEqual(objects.map { $0["kind"] as? String }, Array(repeating: "unreadable", count: 4))
        XCTAssertEqual(
            objects.map(firstMessage),
            [
                "cannot read 'Examples': it is a directory",
                "cannot read '\(locked.path)': \(String(cString: strerror(EACCES)))",
                "cannot read 'Examples/no-such-file.xml': no such file",
                "cannot read standard input: \(String(cString: strerror(EISDIR)))",
            ])
        let text = try runner.run(["validate", "Examples"])
        XCTAssertEqual(text.stdout, "Examples: unreadable: cannot read 'Examples': it is a directory\n")
    }

    #if os(Linux)
    func testInputOutputErrorIsUnreadable() throws {
        // Reading the first page of one's own memory, which is never mapped, fails with EIO.
        let result = try runner.run(["validate", "--json", "/proc/self/mem"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(firstMessage(try onlyObject(result)), "cannot read '/proc/self/mem': \(String(cString: strerror(EIO)))")
    }
    #endif

    // MARK: Writing

    func testFullOutputIsReportedWithStatus74() throws {
        for command in [
            "validate Examples/valid-request.xml", "validate --json Examples/invalid-request.xml",
            "validate --response Examples/response-ok.xml", "respond ok", "respond error --reason r",
            "request --conversation-id 1 --to-number 2", "--help",
        ] {
            let result = try runner.shell(#"exec "$0" "# + command + " >/dev/full")
            XCTAssertEqual(result.status, 74, command)
            XCTAssertEqual(
                result.stderr, "callconsult: cannot write to standard output: \(String(cString: strerror(ENOSPC)))\n", command)
        }
    }

    func testClosedOutputIsReportedWithStatus74() throws {
        let result = try runner.shell(#"exec "$0" validate Examples/valid-request.xml >&-"#)
        XCTAssertEqual(result.status, 74)
        XCTAssertEqual(result.stderr, "callconsult: cannot write to standard output: \(String(cString: strerror(EBADF)))\n")
    }

    func testBrokenPipeIsReportedNotFatal() throws {
        let result = try runner.runIntoClosedPipe(["validate", "--json", "Examples/valid-request.xml"])
        XCTAssertFalse(result.signaled, "killed by signal \(result.status)")
        XCTAssertEqual(result.status, 74)
        XCTAssertEqual(result.stderr, "callconsult: cannot write to standard output: \(String(cString: strerror(EPIPE)))\n")
    }

    func testUsageErrorWithStandardErrorClosed() throws {
        let result = try runner.shell(#"exec "$0" validate 2>&-"#)
        XCTAssertFalse(result.signaled, "killed by signal \(result.status)")
        XCTAssertEqual(result.status, 2)
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callconsult-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }
}
