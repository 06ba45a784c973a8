import CallConsultKit
import XCTest

/// The two notifications: their values, and their verdicts compared with xmllint.
final class NotificationTests: XCTestCase {
    private func conferences(_ xml: String) -> Result<ConferencesEvent, DocumentError> {
        Result { () throws(DocumentError) in try codec.decodeConferencesEvent(Body.utf8(xml)) }
    }

    private func participants(_ xml: String) -> Result<ConferenceParticipantsEvent, DocumentError> {
        Result { () throws(DocumentError) in try codec.decodeConferenceParticipantsEvent(Body.utf8(xml)) }
    }

    func testConferencesEventValues() throws {
        XCTAssertEqual(
            try conferences(
                "<event name=\"conferences\" entity=\"op-7\" timestamp=\"t1\">\n  <new id=\"conf-1\" is_owner=\"true\" start_time=\"12:00\"/>\n</event>"
            ).get(),
            ConferencesEvent(
                event: MonitorEvent(name: "conferences", entity: "op-7", timestamp: "t1"),
                change: NotificationChange(kind: .new, id: "conf-1", attributes: ["is_owner": "true", "start_time": "12:00"])))
        XCTAssertEqual(
            try conferences("<event name=\"c\"><info id=\"k\"/></event>").get(),
            ConferencesEvent(event: MonitorEvent(name: "c"), change: NotificationChange(kind: .info, id: "k")))
        // <xs:anyAttribute/> is strict: an attribute with no global declaration is refused.
        assertRefused(
            conferences("<event name=\"c\"><info id=\"k\" state=\"active\"/></event>"), .notValid,
            mentioning: "strict wildcard", "an undeclared attribute on info")
        XCTAssertEqual(
            try conferences("<event name=\"c\" entity=\"e\"><removed/></event>").get(),
            ConferencesEvent(event: MonitorEvent(name: "c", entity: "e"), change: NotificationChange(kind: .removed, id: nil)))
    }

    func testConferenceParticipantsEventValues() throws {
        let xml = """
            <event name="conference_participants" timestamp="1700000000">
              <participants id="conf-1">
                <new id="p1"/>
                <info id="p2" status="connected"/>
                <removed id="p3" reason="failed"/>
                <new/>
              </participants>
            </event>
            """
        XCTAssertEqual(
            try participants(xml).get(),
            ConferenceParticipantsEvent(
                event: MonitorEvent(name: "conference_participants", timestamp: "1700000000"), conferenceID: "conf-1",
                changes: [
                    NotificationChange(kind: .new, id: "p1"),
                    NotificationChange(kind: .info, id: "p2", attributes: ["status": "connected"]),
                    NotificationChange(kind: .removed, id: "p3", attributes: ["reason": "failed"]),
                    NotificationChange(kind: .new, id: nil),
                ]))
        XCTAssertEqual(
            try participants("<event name=\"p\"><participants/></event>").get(),
            ConferenceParticipantsEvent(event: MonitorEvent(name: "p"), conferenceID: nil, changes: []))
    }

    func testNotificationsRefuseOtherRootsAndEachOther() {
        assertRefused(conferences("<monitor/>"), .wrongRoot, "monitor as a notification")
        assertRefused(participants("<in/>"), .wrongRoot, "in as a notification")
        assertRefused(
            conferences("<event name=\"p\"><participants id=\"k\"/></event>"), .notValid, "participants event as conferences")
        assertRefused(participants("<event name=\"c\"><new id=\"k\"/></event>"), .notValid, "conferences event as participants")
        assertRefused(
            conferences(#"<!DOCTYPE event [<!ENTITY a "b">]><event name="&a;"><new/></event>"#), .refusedByPolicy, "DOCTYPE")
        assertRefused(participants("<event name=\"p\"><participants>"), .notWellFormed, "truncated")
    }

    private static let conferenceCases: [(String, String)] = [
        (
            "new",
            "<event name=\"conferences\"\n       entity=\"op-7\">\n  <new id=\"conf-1\" is_owner=\"false\" start_time=\"t\"/>\n</event>\n"
        ),
        ("info", "<event name=\"c\">\n  <info id=\"k\"/>\n</event>\n"),
        (
            "info with an undeclared attribute (strict wildcard)",
            "<event name=\"c\">\n  <info id=\"k\"\n        anything=\"goes\"/>\n</event>\n"
        ),
        ("removed", "<event name=\"c\" timestamp=\"t\">\n  <removed id=\"k\"/>\n</event>\n"),
        ("is_owner not a boolean", "<event name=\"c\">\n  <new id=\"k\"\n       is_owner=\"maybe\"/>\n</event>\n"),
        ("removed with another attribute", "<event name=\"c\">\n  <removed id=\"k\"\n           reason=\"x\"/>\n</event>\n"),
        ("no change", "<event name=\"c\">\n</event>\n"),
        ("two changes", "<event name=\"c\">\n  <new id=\"a\"/>\n  <removed id=\"a\"/>\n</event>\n"),
        ("no name", "<event entity=\"e\">\n  <new/>\n</event>\n"),
        ("an unknown change", "<event name=\"c\">\n  <moved id=\"a\"/>\n</event>\n"),
        ("an unknown attribute on event", "<event name=\"c\"\n       kind=\"x\">\n  <new/>\n</event>\n"),
    ]

    private static let participantCases: [(String, String)] = [
        (
            "every change, with undeclared attributes (strict wildcard)",
            "<event name=\"p\">\n  <participants id=\"k\">\n    <new id=\"1\"/>\n    <info id=\"2\" status=\"connecting\" x=\"y\"/>\n    <removed id=\"3\" reason=\"released\" y=\"z\"/>\n  </participants>\n</event>\n"
        ),
        (
            "every change",
            "<event name=\"p\">\n  <participants id=\"k\">\n    <new id=\"1\"/>\n    <info id=\"2\" status=\"connecting\"/>\n    <removed id=\"3\" reason=\"released\"/>\n  </participants>\n</event>\n"
        ),
        ("no changes", "<event name=\"p\">\n  <participants/>\n</event>\n"),
        (
            "a status not in the list",
            "<event name=\"p\">\n  <participants>\n    <info id=\"2\"\n          status=\"ringing\"/>\n  </participants>\n</event>\n"
        ),
        (
            "a reason not in the list",
            "<event name=\"p\">\n  <participants>\n    <removed reason=\"kicked\"/>\n  </participants>\n</event>\n"
        ),
        (
            "new with another attribute",
            "<event name=\"p\">\n  <participants>\n    <new id=\"1\" status=\"connected\"/>\n  </participants>\n</event>\n"
        ),
        ("no participants", "<event name=\"p\">\n\n</event>\n"),
        ("two participants", "<event name=\"p\">\n  <participants/>\n  <participants/>\n</event>\n"),
        ("a change outside participants", "<event name=\"p\">\n  <new id=\"1\"/>\n</event>\n"),
        ("no name", "<event>\n  <participants/>\n</event>\n"),
    ]

    func testNotificationsAgreeWithXmllint() throws {
        let cases =
            Self.conferenceCases.map {
                CommandXmllintTests.Case(label: "conferences \($0.0)", xml: $0.1, message: .conferencesEvent)
            }
            + Self.participantCases.map {
                CommandXmllintTests.Case(label: "participants \($0.0)", xml: $0.1, message: .conferenceParticipantsEvent)
            }
        let invalid = try CommandXmllintTests.compare(cases)
        XCTAssertEqual(invalid, 8 + 8)
    }
}
