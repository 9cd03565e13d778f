@testable import CityLoopDomain
import Foundation
import Testing

@Suite("Sites")
struct SiteTests {
    typealias F = VehicleFixtures

    @Test("a forbidden zone forbids muck trucks only in its hours; other kinds never")
    func forbiddenHours() {
        #expect(F.nightZone.forbidsMuckTrucks(at: F.local(23), utcOffsetSeconds: 8 * 3600))
        #expect(!F.nightZone.forbidsMuckTrucks(at: F.local(12), utcOffsetSeconds: 8 * 3600))
        var allDay = F.nightZone
        allDay.forbiddenHours = nil
        #expect(allDay.forbidsMuckTrucks(at: F.local(12), utcOffsetSeconds: 8 * 3600))
        #expect(!F.disposal.forbidsMuckTrucks(at: F.local(23), utcOffsetSeconds: 8 * 3600))
    }

    @Test("opening hours: none means always open")
    func opening() throws {
        #expect(F.disposal.isOpen(at: F.local(3), utcOffsetSeconds: 8 * 3600))
        var night = F.disposal
        night.openingHours = [try DailyWindow("20:00-06:00")]
        #expect(night.isOpen(at: F.local(3), utcOffsetSeconds: 8 * 3600))
        #expect(!night.isOpen(at: F.local(12), utcOffsetSeconds: 8 * 3600))
    }

    @Test("a site needs an ID and rings of at least three valid vertices")
    func validation() throws {
        try F.disposal.validate()
        var noID = F.disposal
        noID.id = ""
        #expect(throws: DomainError.self) { try noID.validate() }
        var line = F.disposal
        line.boundary = Polygon(outer: [F.at(east: 0), F.at(east: 10)])
        #expect(throws: DomainError.self) { try line.validate() }
        var bad = F.disposal
        bad.boundary = Polygon(outer: [F.at(east: 0), F.at(east: 10), GeoPoint(lat: 91, lon: 0)])
        #expect(throws: DomainError.self) { try bad.validate() }
    }

    @Test("a site is stored as JSON and read back")
    func coding() throws {
        let data = try JSONEncoder().encode(F.nightZone)
        #expect(try JSONDecoder().decode(Site.self, from: data) == F.nightZone)
        #expect(String(decoding: data, as: UTF8.self).contains(#""forbiddenHours":["22:00-06:00"]"#))
    }
}
