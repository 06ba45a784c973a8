/// Takes a ``CallConsultRequest`` from `<in><request><call_consult …/></request></in>`.
///
/// The values are kept as bytes (``PendingValue``) and become strings in ``take()``, which is
/// called only for a valid document: a refused request makes none.
struct CallConsultRequestCapture: MessageCapture {
    private var conversationID = PendingValue()
    private var toNumber = PendingValue()
    private var operatorID = PendingValue()

    mutating func start(_ tag: StartTag) {
        guard tag.depth == 3, !tag.hasNamespace, tag.localName.equals("call_consult") else { return }
        tag.forEachAttributeValue { name, value in
            if name.equals("conversation_id") {
                conversationID.keep(value, in: tag.values)
            } else if name.equals("to_number") {
                toNumber.keep(value, in: tag.values)
            } else if name.equals("operator_id") {
                operatorID.keep(value, in: tag.values)
            }
        }
    }

    mutating func take() -> CallConsultRequest? {
        guard let conversationID = conversationID.take(), let toNumber = toNumber.take() else { return nil }
        return CallConsultRequest(conversationID: conversationID, toNumber: toNumber, operatorID: operatorID.take())
    }
}
