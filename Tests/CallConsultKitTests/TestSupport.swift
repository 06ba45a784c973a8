import CallConsultKit
import XCTest

/// The shared codec the tests use unless they need other limits.
let codec = CallConsultCodec()

/// Decodes `body` as a request, as a `Result`, so that tables can state either outcome.
func decodeRequest(_ body: [UInt8], codec: CallConsultCodec = codec) -> Result<CallConsultRequest, DocumentError> {
    Result { () throws(DocumentError) in try codec.decodeRequest(body) }
}

/// Decodes `body` as a response, as a `Result`.
func decodeResponse(_ body: [UInt8], codec: CallConsultCodec = codec) -> Result<CommandResponse, DocumentError> {
    Result { () throws(DocumentError) in try codec.decodeResponse(body) }
}

/// Body bytes from text: UTF-8 unless another layout is asked for.
enum Body {
    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func utf16LE(_ text: String, bom: Bool = true) -> [UInt8] {
        (bom ? [0xFF, 0xFE] : []) + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static func utf16BE(_ text: String, bom: Bool = true) -> [UInt8] {
        (bom ? [0xFE, 0xFF] : []) + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// ISO-8859-1: every scalar must be below U+0100.
    static func latin1(_ text: String) -> [UInt8] { text.unicodeScalars.map { UInt8($0.value) } }

    /// windows-1251 for ASCII and the Russian alphabet.
    static func windows1251(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { scalar in
            switch scalar.value {
            case 0..<0x80: UInt8(scalar.value)
            case 0x410...0x44F: UInt8(scalar.value - 0x410 + 0xC0)
            case 0x401: 0xA8
            case 0x451: 0xB8
            default: UInt8(ascii: "?")
            }
        }
    }
}

/// A request document with the given attribute text on `call_consult`.
func requestXML(_ attributes: String) -> String {
    "<in><request><call_consult \(attributes)/></request></in>"
}

extension XCTestCase {
    /// Asserts that `outcome` failed with `kind` and issues that say where and what.
    func assertRefused<T>(
        _ outcome: Result<T, DocumentError>, _ kind: DocumentError.Kind, mentioning fragment: String? = nil,
        _ label: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        switch outcome {
        case .success(let value):
            XCTFail("\(label): expected \(kind), decoded \(value)", file: file, line: line)
        case .failure(let error):
            XCTAssertEqual(error.kind, kind, "\(label): \(error)", file: file, line: line)
            XCTAssertFalse(error.issues.isEmpty, "\(label): no issues", file: file, line: line)
            for issue in error.issues {
                XCTAssertFalse(issue.message.isEmpty, "\(label): empty message", file: file, line: line)
            }
            if let fragment {
                XCTAssertTrue(
                    error.issues.contains { $0.message.contains(fragment) },
                    "\(label): no issue mentions '\(fragment)': \(error)", file: file, line: line)
            }
        }
    }
}
