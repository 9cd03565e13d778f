import HTTPTypes

/// How the server meets clients: which proxies may name the client's address, which browser origins may call the
/// API (CORS).
public struct FrontDoorOptions: Sendable {
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the client (config `http.trustedProxies`);
    /// empty: the connection's peer is the client.
    public var trustedProxies: Set<String>
    /// Origins allowed to call the API from a browser (config `cors.origins`); empty: CORS is off.
    public var corsOrigins: [String]

    /// Creates options.
    public init(trustedProxies: Set<String> = [], corsOrigins: [String] = []) {
        self.trustedProxies = trustedProxies
        self.corsOrigins = corsOrigins
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`, set by reverse proxies.
    static let xForwardedFor = Self("X-Forwarded-For")!
    /// `X-Frame-Options`, for browsers that do not read `frame-ancestors`.
    static let xFrameOptions = Self("X-Frame-Options")!
    /// `Referrer-Policy`.
    static let referrerPolicy = Self("Referrer-Policy")!
}
