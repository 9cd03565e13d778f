import CityLoopDomain
import Testing

/// Places get a stable ID (Open311 `address_id`) from their content.
@Suite struct PlaceIDTests {
    @Test func theIDIsStableAndFollowsTheRow() throws {
        let a = Place(name: "文化路小学", address: "金水区文化路12号", point: GeoPoint(lat: 34.78, lon: 113.66))
        let parsed = try Place.parseCSV("name,address,lat,lon\n文化路小学,金水区文化路12号,34.78,113.66\n").places
        #expect(parsed.first?.id == a.id)
        #expect(a.id.count == 17 && a.id.hasPrefix("p"))
        #expect(a.id.dropFirst().allSatisfy { $0.isHexDigit })
        var moved = a
        moved.point = GeoPoint(lat: 34.781, lon: 113.66)
        var renamed = a
        renamed.name = "文化路第二小学"
        #expect(Set([a.id, moved.id, renamed.id]).count == 3)
    }
}
