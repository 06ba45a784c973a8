import CLibXML2Baseline
import CallConsultKit
import Foundation

/// The workloads, CallConsultKit's side and the C baseline's side.
struct Suite {
    let harness: Harness
    let codec = CallConsultCodec()
    let schema: OpaquePointer
    let state: OpaquePointer

    /// The 120-byte request the vendor numbers were measured with.
    static let validRequest = Array(
        #"<in><request><call_consult conversation_id="0647e098a4b48b05" to_number="1001" operator_id="42"/></request></in>"#.utf8)
    static let invalidRequest = Array(
        #"<in><request><call_consult conversation_id="0647e098a4b48b05" operator_id="42" mode="x"/></request></in>"#.utf8)
    static let okResponse = Array("<out><response><ok/></response></out>".utf8)
    static let hostileReason = String(repeating: "&<>\"", count: 10)

    init(harness: Harness) throws {
        self.harness = harness
        // The root package's Schemas/, from Benchmarks/Sources/callconsult-bench/Suite.swift.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let main = try String(contentsOf: root.appendingPathComponent("Schemas/call_consult.xsd"), encoding: .utf8)
        let included = try String(contentsOf: root.appendingPathComponent("Schemas/error.xsd"), encoding: .utf8)
        // The C baseline compiles one self-contained schema: error.xsd's components in place of the include.
        guard let open = included.range(of: "<xs:schema"), let openEnd = included[open.upperBound...].range(of: ">"),
            let close = included.range(of: "</xs:schema>")
        else { throw BenchError("unexpected error.xsd") }
        let merged = main.replacingOccurrences(
            of: #"<xs:include schemaLocation="error.xsd"/>"#,
            with: String(included[openEnd.upperBound..<close.lowerBound]))
        guard let schema = merged.withCString({ ccb_schema_compile($0, Int32(strlen($0))) }) else {
            throw BenchError("the C baseline could not compile the schema")
        }
        self.schema = schema
        state = ccb_state_new(schema)
        // Both sides must agree on what is valid, or the comparison means nothing.
        guard ccb_validate_sax(state, Self.validRequest, Int32(Self.validRequest.count)) == 0,
            ccb_validate_tree(state, Self.validRequest, Int32(Self.validRequest.count)) == 0,
            ccb_validate_reader(state, Self.validRequest, Int32(Self.validRequest.count)) == 0,
            ccb_validate_sax(state, Self.invalidRequest, Int32(Self.invalidRequest.count)) != 0,
            (try? codec.decodeRequest(Self.validRequest)) != nil,
            (try? codec.decodeRequest(Self.invalidRequest)) == nil
        else { throw BenchError("the C baseline and CallConsultKit disagree on validity") }
    }

    /// Decoding, each CallConsultKit measurement beside the fastest of three C routes.
    func decodePairs() -> [Measurement] {
        var results: [Measurement] = []
        for (label, body) in [("valid", Self.validRequest), ("invalid", Self.invalidRequest), ("out ok", Self.okResponse)] {
            let isResponse = label == "out ok"
            let ours = harness.measure("decode \(label) (CallConsultKit)") {
                if isResponse {
                    blackHole(try? codec.decodeResponse(body))
                } else {
                    blackHole(try? codec.decodeRequest(body))
                }
            }
            let routes: [(String, (OpaquePointer, UnsafePointer<CChar>, Int32) -> Int32)] = [
                ("C SAX+schema plug", ccb_validate_sax),
                ("C xmlTextReader+schema", ccb_validate_reader),
                ("C xmlReadMemory+ValidateDoc", ccb_validate_tree),
            ]
            var baselines: [Measurement] = []
            for (route, function) in routes {
                baselines.append(
                    body.withUnsafeBufferPointer { buffer in
                        buffer.withMemoryRebound(to: CChar.self) { chars in
                            harness.measure("decode \(label) (\(route))") {
                                blackHole(function(state, chars.baseAddress!, Int32(chars.count)))
                            }
                        }
                    })
            }
            let bestIndex = baselines.indices.min {
                baselines[$0].nanosecondsPerOperation < baselines[$1].nanosecondsPerOperation
            }!
            var compared = ours
            compared.baseline = baselines[bestIndex].name + ", alternating batches"
            compared.ratio = body.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    harness.pairedRatio(
                        {
                            if isResponse {
                                blackHole(try? codec.decodeResponse(body))
                            } else {
                                blackHole(try? codec.decodeRequest(body))
                            }
                        },
                        baseline: { blackHole(routes[bestIndex].1(state, chars.baseAddress!, Int32(chars.count))) })
                }
            }
            results.append(compared)
            results += baselines
        }
        return results
    }

    func encodings() -> [Measurement] {
        let error = CommandResponse.error(ErrorReply(reason: Self.hostileReason, command: "call_consult"))
        let request = CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42")
        return [
            harness.measure("encode ok") { blackHole(try? codec.encode(CommandResponse.ok)) },
            harness.measure("encode error (40-char & < > \" reason)") { blackHole(try? codec.encode(error)) },
            harness.measure("encode request") { blackHole(try? codec.encode(request)) },
        ]
    }

    /// Cost against body size: valid requests whose conversation_id fills the body.
    func bodySizes() -> [Measurement] {
        let roomy = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 2 << 20))
        var results: [Measurement] = []
        var perByte: [Double] = []
        for size in [100, 10_000, 1_000_000] {
            let filler = String(repeating: "7", count: max(1, size - 72))
            let body = Array(#"<in><request><call_consult conversation_id="\#(filler)" to_number="1"/></request></in>"#.utf8)
            precondition((try? roomy.decodeRequest(body)) != nil)
            var measurement = harness.measure("decode \(body.count) B body (CallConsultKit)") {
                blackHole(try? roomy.decodeRequest(body))
            }
            let c = body.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    harness.time { blackHole(ccb_validate_sax(state, chars.baseAddress!, Int32(chars.count))) }
                }
            }
            measurement.baseline = "C SAX+schema plug, same body"
            measurement.ratio = c / measurement.nanosecondsPerOperation
            perByte.append(measurement.nanosecondsPerOperation / Double(body.count))
            results.append(measurement)
        }
        results.append(
            Measurement(name: "ns/byte at 1 MB over ns/byte at 10 KB", nanosecondsPerOperation: perByte[2] / perByte[1] * 1))
        return results
    }

    /// Throughput of two threads decoding at once against one thread alone, for CallConsultKit and
    /// for the C baseline (each thread with its own contexts: how far libxml2 itself scales).
    func scaling() -> [Measurement] {
        let codec = self.codec
        nonisolated(unsafe) let schema = self.schema  // read-only, shared as libxml2 allows
        return [
            Self.scaling(name: "decode valid, 2 threads (CallConsultKit)") { count in
                for _ in 0..<count { blackHole(try? codec.decodeRequest(Self.validRequest)) }
            },
            Self.scaling(name: "decode valid, 2 threads (C SAX+schema plug)") { count in
                let state = ccb_state_new(schema)
                Self.validRequest.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in
                        for _ in 0..<count { blackHole(ccb_validate_sax(state, chars.baseAddress!, Int32(chars.count))) }
                    }
                }
                ccb_state_free(state)
            },
        ]
    }

    /// Runs `work(count)` on one thread and on two at once, alternately (the host's speed drifts),
    /// and reports two-thread throughput with the median ratio of two threads to one.
    private static func scaling(name: String, _ work: @escaping @Sendable (Int) -> Void) -> Measurement {
        let perThread = 200_000
        func run(threads: Int) -> Double {
            let start = ContinuousClock.now
            DispatchQueue.concurrentPerform(iterations: threads) { _ in work(perThread) }
            return Double(threads * perThread) / Harness.seconds(ContinuousClock.now - start)
        }
        _ = run(threads: 1)
        let pairs = (0..<5).map { _ in (run(threads: 1), run(threads: 2)) }
        var measurement = Measurement(name: name, nanosecondsPerOperation: 1e9 / pairs.map(\.1).sorted()[2])
        measurement.baseline = "1 thread, alternating runs"
        measurement.ratio = pairs.map { $0.1 / $0.0 }.sorted()[2]
        return measurement
    }

    /// Resident memory across many decodes: valid, invalid and refused bodies in turn.
    func soak(count: Int) -> Measurement {
        let bodies = [
            Self.validRequest, Self.invalidRequest, Array("<in><request><call".utf8),
            Array(#"<!DOCTYPE in [<!ENTITY a "b">]><in/>"#.utf8), Self.okResponse,
        ]
        for index in 0..<100_000 { blackHole(try? codec.decodeRequest(bodies[index % bodies.count])) }
        let before = residentBytes()
        var peak = before
        let start = ContinuousClock.now
        for index in 0..<count {
            blackHole(try? codec.decodeRequest(bodies[index % bodies.count]))
            if index % 500_000 == 0 { peak = max(peak, residentBytes()) }
        }
        let elapsed = ContinuousClock.now - start
        let after = residentBytes()
        peak = max(peak, after)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var measurement = Measurement(
            name: "soak \(count) decodes: RSS growth KiB", nanosecondsPerOperation: seconds * 1e9 / Double(count))
        measurement.baseline = "RSS \(before / 1024) KiB before, \(peak / 1024) KiB peak, \(after / 1024) KiB after"
        measurement.ratio = Double(after) / Double(before)
        return measurement
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
