import ArgumentParser

/// Where an ECSS-10 endpoint listens and which domain it serves: `--host`, `--port`, `--domain`.
struct EndpointOptions: ParsableArguments {
    @OptionGroup var listening: ListeningOptions

    @Option(help: "The only domain served (/<DOMAIN>/service/cc/arm/…); others get 404. Default: every domain.")
    var domain: String?

    /// `--host`.
    var host: String { listening.host }
    /// `--port`.
    var port: Int { listening.port }

    func validate() throws {
        if let domain, domain.isEmpty { throw ValidationError("--domain must not be empty.") }
    }
}
