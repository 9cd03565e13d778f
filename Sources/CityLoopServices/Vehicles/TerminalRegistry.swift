import CityLoopDomain
import Foundation

/// Terminals joining the platform (终端注册与鉴权): a terminal registers by its phone number, which must be a
/// registered vehicle's, and gets an authentication code (鉴权码); on every connection it authenticates with that
/// code before its positions count. Only the code's SHA-256 is stored; registering again issues a new code, so an
/// old one (a copied or replayed code) stops working.
public struct TerminalRegistry: Sendable {
    private let store: any CityStore

    /// Creates the registry over a store.
    public init(store: any CityStore) { self.store = store }

    /// The outcome of a registration.
    public enum Registration: Equatable, Sendable {
        /// Registered: the vehicle and the code to authenticate with.
        case registered(VehicleID, authCode: String)
        /// No vehicle has this terminal phone number (0x8100 result 4, no such terminal).
        case unknownTerminal
    }

    /// Registers the terminal with this phone number.
    public func register(terminalPhone: String) async throws -> Registration {
        guard let vehicle = try await store.vehicle(terminalPhone: Vehicle.terminalNumber(terminalPhone)) else { return .unknownTerminal }
        // 24 characters from the URL-safe alphabet: ASCII, as a 2013 terminal stores it.
        let code = String(Passwords.randomToken().prefix(24))
        try await store.setTerminalAuthCode(vehicleID: vehicle.id, hash: SHA256Hasher().digest(code))
        return .registered(vehicle.id, authCode: code)
    }

    /// The vehicle whose terminal this is, when the code is the one last issued to it; nil otherwise.
    public func authenticate(terminalPhone: String, authCode: String) async throws -> Vehicle? {
        guard let vehicle = try await store.vehicle(terminalPhone: Vehicle.terminalNumber(terminalPhone)),
            let stored = try await store.terminalAuthCode(vehicleID: vehicle.id)
        else { return nil }
        let given = Array(SHA256Hasher().digest(authCode).utf8)
        // Compared in constant time: the hash of a guess says nothing about how close it was anyway, but cheaply so.
        guard given.count == stored.utf8.count, zip(given, stored.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        return vehicle
    }
}
