import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// `crs` on the APIs that take coordinates: GCJ-02 and BD-09 land in the same grid as the WGS84 point, and values
/// that are not degrees are a 422 naming their field.
@Suite struct CoordinateAPITests {
    @Test func shiftedCoordinatesLandInTheRightGrid() async throws {
        try await TestCity.serve { api in
            let p = api.city.point
            let grid = api.city.grid.code
            for crs in [CoordinateSystem.gcj02, .bd09] {
                let q = crs.fromWGS84(p)
                // The shift is hundreds of metres: uncorrected, the point would be another grid or outside the city.
                #expect(q.distance(to: p) > 300)
                let name = crs == .gcj02 ? "GCJ-02" : "bd09"
                let located = try await api.get("/api/v1/locate?lat=\(q.lat)&lon=\(q.lon)&crs=\(name)")
                #expect(located.status == .ok, "\(located)")
                #expect(located.string("placement.gridCode") == grid, "\(crs): \(located)")
                let filed = try await api.report(as: "citizen", garbageReport(at: q, ["crs": crs.rawValue]))
                #expect(filed.status == .created, "\(filed)")
                #expect(filed.string("case.placement.gridCode") == grid, "\(crs): \(filed)")
            }
            // A 12345 order located on a GCJ-02 map.
            let gcj = CoordinateSystem.gcj02.fromWGS84(p)
            let order = HotlineAPITests.order(api, ticket: "RX-GCJ-1", callback: nil, ["lat": gcj.lat, "lon": gcj.lon, "crs": "gcj02"])
            let hotline = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: order)
            #expect(hotline.string("case.placement.gridCode") == grid, "\(hotline)")
            let wgs = try await api.get("/api/v1/locate?lat=\(p.lat)&lon=\(p.lon)&crs=EPSG:4326")
            #expect(wgs.string("placement.gridCode") == grid)
            let nearest = try await api.get("/api/v1/public/facilities?lat=\(CoordinateSystem.gcj02.fromWGS84(p).lat)&lon=\(CoordinateSystem.gcj02.fromWGS84(p).lon)&crs=gcj02")
            #expect(nearest.status == .ok, "\(nearest)")
        }
    }

    @Test func valuesThatAreNotDegreesAreRefusedNamingTheField() async throws {
        try await TestCity.serve { api in
            let before = try await api.caseCount()
            BadInputAPITests.expectError(try await api.get("/api/v1/locate?lat=200&lon=113.6"), .unprocessableContent, field: "lat")
            let metres = BadInputAPITests.expectError(
                try await api.get("/api/v1/locate?lat=3845000&lon=38512000"), .unprocessableContent, field: "lat")
            #expect(metres.errorMessage.contains("projected metres"))
            BadInputAPITests.expectError(try await api.get("/api/v1/locate?lat=34.7&lon=113.6&crs=mercator"), .unprocessableContent, field: "crs")
            BadInputAPITests.expectError(try await api.get("/api/v1/public/facilities?lat=34.7&lon=400"), .unprocessableContent, field: "lon")
            let p = api.city.point
            let report = try await api.report(as: "citizen", garbageReport(at: p, ["lon": 38_512_000.5]))
            BadInputAPITests.expectError(report, .unprocessableContent, field: "lon")
            BadInputAPITests.expectError(
                try await api.report(as: "citizen", garbageReport(at: p, ["crs": "EPSG:4547"])), .unprocessableContent, field: "crs")
            #expect(try await api.caseCount() == before)
        }
    }
}
