import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A self-signed certificate for 127.0.0.1 and localhost, valid for an hour around now, and its
/// P-256 key, made in the test: the https tests of the client, the emulator, `serve` and `proxy`
/// share it.
public struct SelfSignedCertificate: Sendable {
    /// The certificate in PEM.
    public let certificatePEM: String
    /// The private key in PEM (PKCS #8).
    public let keyPEM: String

    /// Makes a new certificate and key.
    public init(commonName: String = "CallConsultKit test") throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 3600, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: .init(key))
        certificatePEM = try certificate.serializeAsPEM().pemString
        keyPEM = key.pemRepresentation
    }

    /// The certificate in NIOSSL's type.
    public func certificate() throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
    }

    /// The key in NIOSSL's type.
    public func key() throws -> NIOSSLPrivateKey {
        try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
    }
}
