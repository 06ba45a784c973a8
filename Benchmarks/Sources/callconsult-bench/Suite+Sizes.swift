import CLibXML2Baseline
import CallConsultKit

extension Suite {
    /// The body sizes of the cost-against-size series (`--sizes`), in bytes.
    static let seriesSizes = [120, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]

    /// A valid request of about `size` bytes (at least 74), its conversation_id filling it.
    static func sizedRequest(_ size: Int) -> [UInt8] {
        let filler = String(repeating: "7", count: max(1, size - 72))
        return Array(#"<in><request><call_consult conversation_id="\#(filler)" to_number="1"/></request></in>"#.utf8)
    }

    /// Invalid requests like ``invalidRequest`` whose refused attribute takes 16 names in turn.
    static let variedInvalidRequests = (0..<16).map { index in
        Array(
            #"<in><request><call_consult conversation_id="0647e098a4b48b05" operator_id="42" mode\#(index)="x"/></request></in>"#
                .utf8)
    }

    /// Cost against body size: valid requests whose conversation_id fills the body, each decoded
    /// by CallConsultKit and by the C SAX+plug route; one measurement per size, its ratio C over
    /// CallConsultKit (above 1: faster than C) and the C time in its baseline name.
    func sizeSeries() -> [Measurement] {
        let roomy = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 2 << 20))
        return Self.seriesSizes.map { size in
            let body = Self.sizedRequest(size)
            var measurement = Measurement(
                name: "size \(body.count) B (CallConsultKit)",
                nanosecondsPerOperation: harness.time { blackHole(try? roomy.decodeRequest(body)) })
            let c = body.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    harness.time { blackHole(ccb_validate_sax(state, chars.baseAddress!, Int32(chars.count))) }
                }
            }
            measurement.baseline = String(format: "C SAX+schema plug %.1f ns", c)
            measurement.ratio = c / measurement.nanosecondsPerOperation
            return measurement
        }
    }
}
