import Foundation
import XCTest

/// xmllint, for the tests that compare verdicts with it; skips the test where it is not installed.
public enum Xmllint {
    /// The package's root folder (where `Schemas/` is).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// xmllint's path.
    /// - Throws: `XCTSkip` where it is not installed.
    public static func url() throws -> URL {
        for directory in ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("xmllint")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        // CI installs xmllint (libxml2-utils); elsewhere the comparison cannot run.
        throw XCTSkip("xmllint is not installed")
    }

    /// What xmllint says of `xml` against `Schemas/<schema>`: whether it validates, and its
    /// schema validity issues as `line: element: message`, in order.
    public static func run(_ xmllint: URL, on xml: String, schema: String) throws -> (
        valid: Bool, issues: [String], output: String
    ) {
        try run(xmllint, on: xml, schemaPath: packageRoot.appendingPathComponent("Schemas/\(schema)").path)
    }

    /// The same, against the schema file at `schemaPath`.
    public static func run(_ xmllint: URL, on xml: String, schemaPath: String) throws -> (
        valid: Bool, issues: [String], output: String
    ) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ccx-\(UUID().uuidString).xml")
        try Data(xml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = xmllint
        process.arguments = [
            "--noout", "--nonet", "--schema", schemaPath, file.path,
        ]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // `FILE:LINE: element NAME: Schemas validity error : MESSAGE`
        let issues: [String] = output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(file.path + ":"), let marker = line.range(of: ": Schemas validity error : ") else { return nil }
            let head = line[line.index(line.startIndex, offsetBy: file.path.count + 1)..<marker.lowerBound]
            let parts = head.components(separatedBy: ": element ")
            guard parts.count == 2 else { return nil }
            return "\(parts[0]): \(parts[1]): \(line[marker.upperBound...])"
        }
        return (process.terminationStatus == 0, issues, output)
    }
}
