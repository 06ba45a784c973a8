import CallConsultKit

extension Suite {
    /// A valid request of every command of the family, each with every attribute its schema
    /// declares given (a few participants and events for the structured ones), for instruction
    /// counts per decode (`--profile N --command NAME`).
    static let commandRequests: [CommandName: [UInt8]] = {
        let bodies: [CommandName: String] = [
            .login: #"<in><request client_id="crm" api_key="secret-key-0001" phone_number="1001"/></in>"#,
            .callConsult: String(decoding: validRequest, as: UTF8.self),
            .callHold: #"<in><request><call_hold conversation_id="0647e098a4b48b05" operator_id="42"/></request></in>"#,
            .callUnhold: #"<in><request><call_unhold conversation_id="0647e098a4b48b05" operator_id="42"/></request></in>"#,
            .callUnattendedTransfer:
                #"<in><request><call_unattended_transfer original_conversation_id="0647e098a4b48b05" to_number="1001" destination_conversation_id="0647e098a4b48b06" operator_id="42" workitem_id="w-1"/></request></in>"#,
            .blockOperator: #"<in><request agent_id="102"/></in>"#,
            .unblockOperator: #"<in><request agent_id="102"/></in>"#,
            .auxWork: #"<in><request><auxwork reason="lunch"/></request></in>"#,
            .addParticipant:
                #"<in><request><add_to_conference><participants conference_id="conf-1"><participant number="1002"/><participant conversation_id="0647e098a4b48b05"/></participants></add_to_conference></request></in>"#,
            .removeParticipant: #"<in><request><remove_participant conference_id="conf-1" participant_id="p-2"/></request></in>"#,
            .monitor:
                #"<monitor><start><event name="conferences" entity="operator-42"/></start><stop><event name="calls"/></stop></monitor>"#,
        ]
        return bodies.mapValues { Array($0.utf8) }
    }()
}
