import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Partner callback URLs may not reach into the platform's own networks unless an administrator allows the host.
@Suite struct CallbackAddressTests {
    static let refused = [
        "file:///etc/passwd", "gopher://example.com/", "ftp://example.com/x", "http://127.0.0.1/cb", "http://localhost:8080/cb",
        "http://[::1]/cb", "http://0x7f.1/cb", "http://2130706433/cb", "http://017700000001/cb", "http://10.1.2.3/cb",
        "http://172.20.0.1/cb", "http://192.168.1.1/cb", "http://100.64.0.1/cb", "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/cb", "http://224.0.0.1/cb", "http://[fd00::1]/cb", "http://[fe80::1]/cb", "http://[::ffff:127.0.0.1]/cb",
        "http://[::ffff:10.0.0.1]/cb", "http://user:pw@example.com/cb",
    ]

    @Test(arguments: refused)
    func privateAndNonHTTPURLsAreRefused(url: String) {
        #expect(throws: DomainError.self) { try CallbackAddressPolicy().check(url) }
    }

    @Test func publicAndAllowListedHostsAreAccepted() throws {
        let policy = CallbackAddressPolicy(allowHosts: ["127.0.0.1", "Hotline.Internal"])
        try policy.check("https://hotline.example.com/callback")
        try policy.check("http://93.184.215.14:8080/cb")
        try policy.check("http://127.0.0.1:9000/cb")
        try policy.check("http://hotline.internal/cb")
        #expect(throws: DomainError.self) { try policy.check("http://127.0.0.2/cb") }
    }

    @Test func deliveryConnectsOnlyToACheckedAddress() throws {
        let policy = CallbackAddressPolicy()
        // A name that resolves to loopback is refused at delivery, whatever the edge saw.
        #expect(throws: CallbackAddressPolicy.Refused.self) { try policy.address(for: URL(string: "http://localhost/cb")!) }
        #expect(try policy.address(for: URL(string: "http://93.184.215.14/cb")!) == "93.184.215.14")
        #expect(try CallbackAddressPolicy(allowHosts: ["localhost"]).address(for: URL(string: "http://localhost/cb")!) == nil)
    }

    @Test func aHotlineOrderWithAPrivateCallbackIsRefusedAndStoresNothing() async throws {
        try await TestCity.serve { api in
            let before = try await api.caseCount()
            for url in ["http://127.0.0.1:9/none", "http://[::1]/x", "gopher://example.com/"] {
                let r = try await api.send(
                    .post, "/api/v1/hotline/orders", as: "partner", json: HotlineAPITests.order(api, ticket: "RX-SSRF-1", callback: url))
                #expect(r.status == .unprocessableContent, "\(url): \(r)")
                #expect(r.errorField == "callbackURL")
            }
            #expect(try await api.caseCount() == before)
        }
    }
}
