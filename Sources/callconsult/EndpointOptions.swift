import ArgumentParser

/// Where an ECSS-10 endpoint listens and which domain it serves: `--host`, `--port`, `--domain`.
struct EndpointOptions: ParsableArguments {
    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8089

    @Option(help: "The only domain served (/<DOMAIN>/service/cc/arm/…); others get 404. Default: every domain.")
    var domain: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        if let domain, domain.isEmpty { throw ValidationError("--domain must not be empty.") }
    }
}
