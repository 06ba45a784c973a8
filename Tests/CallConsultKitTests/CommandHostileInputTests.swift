import CallConsultKit
import XCTest

/// Every command's decoders keep the same defences as call_consult's: a table of hostile bodies
/// over every command, each a typed refusal with nothing printed.
final class CommandHostileInputTests: XCTestCase {
    /// A hostile body, the refusal it must get, and a fragment of its message.
    struct Attack {
        var label: String
        var body: [UInt8]
        var kind: DocumentError.Kind
        var mentioning: String?
    }

    /// The attacks on `sample`'s request, written with its own root.
    static func attacks(on sample: CommandSample) -> [Attack] {
        let root = sample.root
        var laughs = #"<!ENTITY l0 "lol">"#
        for level in 1...9 {
            laughs += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let valid = sample.fullXML
        let attributes = (0..<40).map { " a\($0)=\"\($0)\"" }.joined()
        // The full sample with forty more attributes on its first element.
        let crowded = valid.replacingOccurrences(of: "<\(root)>", with: "<\(root)\(attributes)>")
        return [
            Attack(
                label: "billion laughs", body: Body.utf8("<!DOCTYPE \(root) [\(laughs)]><\(root) x=\"&l9;\"/>"),
                kind: .refusedByPolicy, mentioning: "DOCTYPE"),
            Attack(
                label: "external entity",
                body: Body.utf8("<!DOCTYPE \(root) [<!ENTITY s SYSTEM \"/etc/passwd\">]><\(root)>&s;</\(root)>"),
                kind: .refusedByPolicy, mentioning: "DOCTYPE"),
            Attack(
                label: "external DTD", body: Body.utf8("<!DOCTYPE \(root) SYSTEM \"http://127.0.0.1:1/x.dtd\">" + valid),
                kind: .refusedByPolicy, mentioning: "DOCTYPE"),
            Attack(
                label: "too deep",
                body: Body.utf8(
                    "<\(root)>" + String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40) + "</\(root)>"),
                kind: .refusedByPolicy, mentioning: "deeper than 32"),
            Attack(label: "too many attributes", body: Body.utf8(crowded), kind: .refusedByPolicy, mentioning: "attributes"),
            Attack(
                label: "too large", body: Body.utf8(valid + "<!--" + String(repeating: "x", count: 70_000) + "-->"),
                kind: .tooLarge, mentioning: "65536"),
            Attack(
                label: "an answer", body: Body.utf8("<out><response><ok/></response></out>"), kind: .wrongRoot, mentioning: nil),
            Attack(
                label: "another root", body: Body.utf8(root == "in" ? "<monitor/>" : "<in><request/></in>"), kind: .wrongRoot,
                mentioning: nil),
            Attack(
                label: "a namespaced root",
                body: Body.utf8(
                    valid.replacingOccurrences(of: "<\(root)>", with: "<x:\(root) xmlns:x=\"urn:x\">")
                        .replacingOccurrences(of: "</\(root)>", with: "</x:\(root)>")),
                kind: .wrongRoot, mentioning: nil),
            Attack(
                label: "a default namespace",
                body: Body.utf8(valid.replacingOccurrences(of: "<\(root)>", with: "<\(root) xmlns=\"urn:ecss\">")),
                kind: .wrongRoot,
                mentioning: nil),
            Attack(
                label: "a namespaced child",
                body: Body.utf8(valid.replacingOccurrences(of: "</\(root)>", with: "<x:extra xmlns:x=\"urn:x\"/></\(root)>")),
                kind: .notValid, mentioning: nil),
            Attack(label: "truncated", body: Array(Body.utf8(valid).dropLast(8)), kind: .notWellFormed, mentioning: nil),
            Attack(label: "undefined entity", body: Body.utf8("<\(root) a=\"&u;\"/>"), kind: .notWellFormed, mentioning: nil),
            Attack(label: "a NUL", body: Body.utf8("<\(root)") + [0] + Body.utf8("/>"), kind: .notWellFormed, mentioning: nil),
        ]
    }

    func testEveryAttackOnEveryCommandsRequestIsATypedRefusal() {
        for sample in CommandSample.all {
            for attack in Self.attacks(on: sample) {
                let label = "\(sample.command): \(attack.label)"
                assertRefused(
                    decodeRequest(attack.body, command: sample.command), attack.kind, mentioning: attack.mentioning, label)
                let element = Result { () throws(DocumentError) in
                    try codec.decodeElement(attack.body, as: .request, command: sample.command)
                }
                assertRefused(element, attack.kind, mentioning: attack.mentioning, "\(label) as a tree")
            }
        }
    }

    func testTheSameAttacksOnAnswersAndNotificationsAreRefused() {
        for command in CommandName.allCases {
            for attack in Self.attacks(on: CommandSample.of(.callHold)) where attack.kind != .wrongRoot {
                // The same body with <out> for its root.
                let text = String(decoding: attack.body, as: UTF8.self).replacingOccurrences(of: "in>", with: "out>")
                    .replacingOccurrences(of: "<in ", with: "<out ").replacingOccurrences(of: "<in\0", with: "<out\0")
                    .replacingOccurrences(of: "DOCTYPE in", with: "DOCTYPE out")
                let outcome = decodeResponse(Body.utf8(text), command: command)
                guard case .failure(let error) = outcome else {
                    XCTFail("\(command): \(attack.label) decoded")
                    continue
                }
                XCTAssertEqual(error.kind, attack.kind, "\(command) answer: \(attack.label): \(error)")
            }
        }
        for attack in Self.attacks(on: CommandSample.of(.monitor))
        where attack.kind == .refusedByPolicy || attack.kind == .tooLarge {
            let text = String(decoding: attack.body, as: UTF8.self).replacingOccurrences(of: "monitor", with: "event")
            let outcome = Result { () throws(DocumentError) in try codec.decodeConferencesEvent(Body.utf8(text)) }
            assertRefused(outcome, attack.kind, "conferences event: \(attack.label)")
            let participants = Result { () throws(DocumentError) in
                try codec.decodeConferenceParticipantsEvent(Body.utf8(text))
            }
            assertRefused(participants, attack.kind, "participants event: \(attack.label)")
        }
    }

    func testHostileBodiesGiveTypedErrorsForEveryCommand() {
        for command in CommandName.allCases {
            for body in HostileInputTests.hostileBodies {
                for outcome in [
                    decodeRequest(body, command: command).map { "\($0)" }, decodeResponse(body, command: command).map { "\($0)" },
                ] {
                    guard case .failure(let error) = outcome else {
                        XCTFail("\(command) accepted \(body)")
                        continue
                    }
                    XCTAssertNotEqual(error.kind, .internalFailure, "\(command): \(error)")
                    XCTAssertFalse(error.issues.isEmpty)
                    XCTAssertLessThanOrEqual(error.issues.count, 64)
                }
            }
        }
    }

    func testLimitsAreTheCodecsForEveryCommand() {
        let tight = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 1_000, maxDepth: 3, maxAttributesPerElement: 2))
        // What each full sample meets: nil when it is within three levels and two attributes a tag.
        let refusals: [CommandName: String?] = [
            .login: "attributes", .callConsult: "attributes", .callHold: nil, .callUnhold: nil,
            .callUnattendedTransfer: "attributes", .blockOperator: nil, .unblockOperator: nil, .auxWork: nil,
            .addParticipant: "deeper than 3", .removeParticipant: nil, .monitor: "attributes",
        ]
        XCTAssertEqual(Set(refusals.keys), Set(CommandName.allCases))
        for sample in CommandSample.all {
            let outcome = decodeRequest(Body.utf8(sample.fullXML), command: sample.command, codec: tight)
            if let fragment = refusals[sample.command] ?? nil {
                assertRefused(outcome, .refusedByPolicy, mentioning: fragment, "\(sample.command)")
            } else {
                XCTAssertEqual(try? outcome.get(), sample.full, "\(sample.command)")
            }
            let large = Body.utf8(sample.minimalXML + String(repeating: " ", count: 1_000))
            assertRefused(decodeRequest(large, command: sample.command, codec: tight), .tooLarge, "\(sample.command) size")
        }
    }

    func testLibraryPrintsNothingForAnyCommand() throws {
        var bodies = HostileInputTests.hostileBodies
        for sample in CommandSample.all {
            bodies += Self.attacks(on: sample).map(\.body)
        }
        let printed = capturingStandardError {
            for command in CommandName.allCases {
                for body in bodies {
                    _ = decodeRequest(body, command: command)
                    _ = decodeResponse(body, command: command)
                    _ = try? codec.decodeElement(body, as: .request, command: command)
                    _ = try? codec.decodeElement(body, as: .response, command: command)
                    _ = try? codec.jsonForm(ofXML: body, as: .request, command: command)
                }
            }
            for body in bodies {
                _ = try? codec.decodeConferencesEvent(body)
                _ = try? codec.decodeConferenceParticipantsEvent(body)
            }
        }
        XCTAssertEqual(printed, "", "the library wrote to standard error")
    }
}
