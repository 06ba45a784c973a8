// The driver the libFuzzer targets share (callconsult-fuzz, callconsult-stub-fuzz). Built with
// CALLCONSULT_FUZZING defined (Scripts/fuzz.sh), it hands the command line to libFuzzer; in an
// ordinary build it reads the files a replay runs through the same checks.
import Foundation

/// libFuzzer's test: one input's bytes and their count; returns 0.
public typealias FuzzTest = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// Runs a fuzz target: under libFuzzer, or as a replay of files.
public enum FuzzDriver {
    #if CALLCONSULT_FUZZING
    /// Hands the command line to libFuzzer, which calls `test` with each input it makes.
    public static func runLibFuzzer(_ test: FuzzTest) {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        _ = runDriver(&argc, &argv, test)
    }
    #endif

    /// The inputs of a replay, from the command line `[--repeat N] FILE_OR_FOLDER…`: each file's
    /// bytes, a folder's files in name order; and how many times to replay them (1 without
    /// `--repeat`). A path that does not exist ends the program with status 2 and a line on
    /// standard error naming it.
    /// - Parameter tool: The program's name, for that line.
    public static func replayInputs(tool: String) -> (inputs: [Data], repeats: Int) {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var repeats = 1
        if let index = arguments.firstIndex(of: "--repeat"), index + 1 < arguments.count,
            let count = Int(arguments[index + 1])
        {
            repeats = count
            arguments.removeSubrange(index...(index + 1))
        }
        var inputs: [Data] = []
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("\(tool): no such file: \(argument)\n".utf8))
                exit(2)
            }
            let files =
                isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted().map {
                    argument + "/" + $0
                }
                : [argument]
            inputs += files.compactMap { FileManager.default.contents(atPath: $0) }
        }
        return (inputs, repeats)
    }

    /// Runs `test` on `input`'s bytes, as libFuzzer would.
    public static func run(_ test: FuzzTest, on input: Data) {
        _ = input.withUnsafeBytes { bytes in
            test(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count)
        }
    }
}

#if CALLCONSULT_FUZZING
/// libFuzzer's driver, for a program that has its own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzTest
) -> Int32
#endif
