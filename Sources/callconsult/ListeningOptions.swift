import ArgumentParser

/// Where a server of the CLI listens, `--host` and `--port`, and the first line it writes once it
/// does: shared by `serve` and `proxy`.
struct ListeningOptions: ParsableArguments {
    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8089

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
    }

    /// `listening on SCHEME://HOST:PORT`, an IPv6 host in brackets: the first line of `serve` and
    /// `proxy`, written once the socket accepts connections.
    func firstLine(scheme: String = "http", port: Int) -> String {
        "listening on \(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
