import NIOCore
import NIOHTTP1

/// NIO's HTTP/1.1 response decoder, told each request's method by ``UpstreamHandler`` rather than
/// by watching `HTTPClientRequestPart`s go out: the proxy writes each request as bytes, which
/// pass this decoder's handler untouched (it is inbound only).
///
/// The method matters for one thing: the answer to a `HEAD` has no body, whatever its
/// `Content-Length` says.
struct ResponseDecoder: ByteToMessageDecoder {
    typealias InboundOut = HTTPClientResponsePart

    /// The decoder itself (a class: this value and the handler share it).
    let decoder = HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)

    /// Tells the decoder that a request with `head`'s method went out: its answer comes next.
    func requestSent(_ head: HTTPRequestHead) {
        decoder.write(data: .head(head))
    }

    func decoderAdded(context: ChannelHandlerContext) {
        decoder.decoderAdded(context: context)
    }

    func decoderRemoved(context: ChannelHandlerContext) {
        decoder.decoderRemoved(context: context)
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        try decoder.decode(context: context, buffer: &buffer)
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decoder.decodeLast(context: context, buffer: &buffer, seenEOF: seenEOF)
    }
}
