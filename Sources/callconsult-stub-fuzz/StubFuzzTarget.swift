// A libFuzzer target over the emulator's stub parser, which reads JSON from the network
// (`POST /__admin/stubs`) and from `serve --stubs` files. A target of its own, so that the codec's
// (callconsult-fuzz, replayed under valgrind by Scripts/leak-check.sh) stays free of the
// emulator's dependencies. Scripts/fuzz.sh builds it with -sanitize=fuzzer and CALLCONSULT_FUZZING
// defined; in an ordinary build it is a replay tool: `callconsult-stub-fuzz FILE_OR_FOLDER…`.
import CallConsultEmulator
import Foundation
import FuzzDriver

/// Fails loudly when an invariant breaks: that is what the fuzzer looks for.
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fatalError("invariant broken: \(message())")
    }
}

/// A stub the parser accepts encodes and decodes back to itself; one it refuses is refused with
/// a message.
func fuzzStub(_ body: UnsafeBufferPointer<UInt8>) {
    guard #available(macOS 15, iOS 18, tvOS 18, visionOS 2, *) else { return }
    do {
        let stub = try ECSSEmulator.Stub(json: body)
        do {
            let again = try ECSSEmulator.Stub(json: Array(try JSONEncoder().encode(stub)))
            check(again == stub, "stub round trip: \(stub) became \(again)")
        } catch {
            check(false, "an accepted stub does not re-encode: \(stub): \(error)")
        }
    } catch {
        check(!error.message.isEmpty, "a stub refused without a message")
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzStub(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

#if CALLCONSULT_FUZZING
/// Hands the command line to libFuzzer.
@main
enum FuzzMain {
    static func main() {
        FuzzDriver.runLibFuzzer(fuzzerTestOneInput)
    }
}
#else
/// Replays files (or every file in folders) through the check (`--repeat N`: N times); the
/// count of those the parser accepted is printed.
@main
enum Replay {
    static func main() {
        let (inputs, repeats) = FuzzDriver.replayInputs(tool: "callconsult-stub-fuzz")
        for _ in 0..<repeats {
            for data in inputs { FuzzDriver.run(fuzzerTestOneInput, on: data) }
        }
        let accepted = inputs.filter { (try? ECSSEmulator.Stub(json: $0)) != nil }.count
        print("replayed \(inputs.count) inputs \(repeats) times, \(accepted) accepted as stubs, no invariant broken")
    }
}
#endif
