@testable import CityLoopDomain
import Foundation
import Testing

@Suite("Transport permits")
struct TransportPermitTests {
    typealias F = VehicleFixtures

    @Test("valid from its first to its last instant, within its daily hours")
    func validity() throws {
        var p = F.permit
        #expect(p.isValid(at: F.local(12), utcOffsetSeconds: 8 * 3600))
        #expect(p.isValid(at: p.validFrom, utcOffsetSeconds: 8 * 3600))
        #expect(p.isValid(at: p.validTo, utcOffsetSeconds: 8 * 3600))
        #expect(!p.isValid(at: p.validTo.addingTimeInterval(1), utcOffsetSeconds: 8 * 3600))
        #expect(!p.isValid(at: p.validFrom.addingTimeInterval(-1), utcOffsetSeconds: 8 * 3600))
        p.dailyHours = [try DailyWindow("22:00-06:00")]
        #expect(p.isValid(at: F.local(23), utcOffsetSeconds: 8 * 3600))
        #expect(!p.isValid(at: F.local(12), utcOffsetSeconds: 8 * 3600))
    }

    @Test("distance from the corridor in metres")
    func corridorDistance() {
        #expect(abs(F.permit.distanceFromCorridor(F.at(east: 1200, north: 300)) - 300) < 0.5)
        #expect(abs(F.permit.distanceFromCorridor(F.at(east: 4000, north: -50)) - 50) < 0.5)
        #expect(abs(F.permit.distanceFromCorridor(F.at(east: 5400)) - 400) < 0.5)
    }

    @Test("a permit needs a number of 1–64 characters without /, a corridor of 2–2000 points, a positive width and ordered dates")
    func validation() throws {
        try F.permit.validate()
        var p = F.permit
        p.corridor = [F.at(east: 0)]
        #expect(throws: DomainError.self) { try p.validate() }
        p.corridor = (0..<TransportPermit.maxCorridorPoints).map { F.at(east: Double($0)) }
        try p.validate()
        p.corridor.append(F.at(east: 5000))
        #expect(throws: DomainError.self) { try p.validate() }
        p = F.permit
        p.corridorMetres = 0
        #expect(throws: DomainError.self) { try p.validate() }
        p = F.permit
        p.validTo = p.validFrom.addingTimeInterval(-1)
        #expect(throws: DomainError.self) { try p.validate() }
        for number in ["", "ZY/1", String(repeating: "9", count: 65)] {
            p = F.permit
            p.id = PermitID(number)
            #expect(throws: DomainError.self, "\(number)") { try p.validate() }
        }
        p = F.permit
        p.id = "郑渣准字〔2026〕第 0012 号"
        try p.validate()
    }

    @Test("a permit is stored as JSON and read back")
    func coding() throws {
        var p = F.permit
        p.dailyHours = [try DailyWindow("22:00-06:00")]
        p.corridorMetres = 150
        #expect(try JSONDecoder().decode(TransportPermit.self, from: JSONEncoder().encode(p)) == p)
    }
}
