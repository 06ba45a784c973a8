/// Takes a ``CallConsultRequest`` from `<in><request><call_consult …/></request></in>`.
struct CallConsultRequestCapture: MessageCapture {
    private var conversationID: String?
    private var toNumber: String?
    private var operatorID: String?

    mutating func start(_ tag: StartTag) {
        guard tag.depth == 3, !tag.hasNamespace, tag.localName.equals("call_consult") else { return }
        tag.forEachAttribute { name, value in
            if name.equals("conversation_id") {
                conversationID = value()
            } else if name.equals("to_number") {
                toNumber = value()
            } else if name.equals("operator_id") {
                operatorID = value()
            }
        }
    }

    mutating func take() -> CallConsultRequest? {
        guard let conversationID = conversationID.take(), let toNumber = toNumber.take() else { return nil }
        return CallConsultRequest(conversationID: conversationID, toNumber: toNumber, operatorID: operatorID.take())
    }
}
