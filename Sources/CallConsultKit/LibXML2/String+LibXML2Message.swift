import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// libxml2's message on one line: without the line break (and any other trailing ASCII white
    /// space) it ends with, and with each line break inside it (some messages have two lines, e.g.
    /// `…indicate encoding !` and `Bytes: 0xF0 …`) and the white space around it made one space.
    /// Works on the bytes: messages are UTF-8 and the hot error path should not pay for Unicode
    /// character classification.
    init(libxml2Message message: UnsafePointer<CChar>) {
        let line = Self.libxml2MessageLine(message)
        self = message.withMemoryRebound(to: UInt8.self, capacity: line.length) { bytes in
            let text = UnsafeBufferPointer(start: bytes, count: line.length)
            return line.isOneLine
                ? String(decoding: text, as: UTF8.self) : String(decoding: Self.joiningLines(text), as: UTF8.self)
        }
    }

    /// How many bytes of `message` are left without the trailing white space, and whether the
    /// message is one line once that is gone. One scan for the first line break; libxml2 ends
    /// every message with one.
    private static func libxml2MessageLine(_ message: UnsafePointer<CChar>) -> (length: Int, isOneLine: Bool) {
        var length = strcspn(message, "\r\n")
        var rest = message + length
        while rest.pointee == 0x20 || rest.pointee == 0x0A || rest.pointee == 0x0D || rest.pointee == 0x09 { rest += 1 }
        let oneLine = rest.pointee == 0
        if !oneLine { length = strlen(message) }
        trim: while length > 0 {
            switch message[length - 1] {
            case 0x20, 0x0A, 0x0D, 0x09: length -= 1
            default: break trim
            }
        }
        return (length, oneLine)
    }

    /// `bytes` with each line break, and the spaces and tabs around it, made one space.
    private static func joiningLines(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var joined: [UInt8] = []
        joined.reserveCapacity(bytes.count)
        var pendingBreak = false
        for byte in bytes {
            switch byte {
            case 0x0A, 0x0D:
                while let last = joined.last, last == 0x20 || last == 0x09 { joined.removeLast() }
                pendingBreak = true
            case 0x20 where pendingBreak, 0x09 where pendingBreak:
                continue
            default:
                if pendingBreak {
                    if !joined.isEmpty { joined.append(0x20) }
                    pendingBreak = false
                }
                joined.append(byte)
            }
        }
        return joined
    }
}
