import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Addresses: geocoded against the city's place table, or queued for an operator to place by hand — never dropped.
@Suite struct PlacesAPITests {
    /// Three places inside the test city, one outside, one broken row.
    static func csv(_ api: API) -> (String, [GeoPoint]) {
        let grids = api.city.platform.context.map.grids.filter { $0.code.hasPrefix("410102") }.prefix(3)
        let points = grids.map(\.boundary.interiorPoint)
        let text = """
            name,address,lat,lon
            紫荆山公园,金水区金水路与人民路交叉口,\(points[0].lat),\(points[0].lon)
            "二七纪念塔","二七区二七广场1号",\(points[1].lat),\(points[1].lon)
            文化路小学,金水区文化路12号,\(points[2].lat),\(points[2].lon)
            外地某处,上海市黄浦区,31.2304,121.4737
            坏行,,north,east
            """
        return (text, points)
    }

    static func importPlaces(_ api: API) async throws -> [GeoPoint] {
        let (text, points) = csv(api)
        var h = HTTPFields()
        h[.contentType] = "text/csv"
        let r = try await api.send(.put, "/api/v1/places", as: "admin", raw: Data(text.utf8), headers: h)
        #expect(r.status == .ok, "\(r)")
        #expect(r.int("imported") == 3, "\(r)")
        #expect(r.objects("rejected").count == 2, "\(r)")
        return points
    }

    @Test func addressesAreGeocodedOrQueuedAndPlacedByHand() async throws {
        try await TestCity.serve { api in
            let points = try await Self.importPlaces(api)
            let search = try await api.get("/api/v1/places/search?q=\("郑州市金水区文化路12号".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)", as: "operator")
            #expect(search.string("0.name") == "文化路小学", "\(search)")

            // Open311 with only an address the table knows: filed at that place.
            let key = try await Open311APITests.key(api)
            let found = try await Open311APITests.post(
                api, "/requests.json", ["api_key": key, "service_code": "06010", "address_string": "郑州市 紫荆山公园", "description": "公园门口垃圾"])
            #expect(found.status == .created, "\(found)")
            let number = try #require(found.string("0.service_request_id"))
            let filed = try await api.get(Open311APITests.base + "/requests/\(number).json")
            #expect(abs((filed["0.lat"] as? Double ?? 0) - points[0].lat) < 1e-9)

            // An address it does not know: a token, no request ID yet, and an entry in the operators' queue.
            let unknown = try await Open311APITests.post(
                api, "/requests.json", ["api_key": key, "service_code": "06010", "address_string": "幸福里小区后门", "description": "垃圾"])
            #expect(unknown.status == .created, "\(unknown)")
            #expect(unknown["0.service_request_id"] == nil)
            let token = try #require(unknown.string("0.token"))
            let waiting = try await api.get(Open311APITests.base + "/tokens/\(token).json")
            #expect(waiting.status == .ok)
            #expect(waiting.string("0.token") == token && waiting["0.service_request_id"] is NSNull, "\(waiting)")

            #expect(try await api.get("/api/v1/unplaced", as: "citizen").status == .forbidden)
            let queue = try await api.get("/api/v1/unplaced", as: "operator")
            let entry = try #require(queue.objects("").first { $0["id"] as? String == token }, "\(queue)")
            #expect(entry["address"] as? String == "幸福里小区后门")

            // The operator places it on the map: it becomes the sender's case, and the token now names it.
            let p = points[2]
            let placed = try await api.send(.post, "/api/v1/unplaced/\(token)/place", as: "operator", json: ["lat": p.lat, "lon": p.lon])
            #expect(placed.status == .created, "\(placed)")
            let placedNumber = try #require(placed.string("case.number"))
            #expect(placed.string("case.source") == "citizen")
            let named = try await api.get(Open311APITests.base + "/tokens/\(token).json")
            #expect(named.string("0.service_request_id") == placedNumber)
            #expect(try await api.get("/api/v1/unplaced", as: "operator").objects("").allSatisfy { $0["id"] as? String != token })
            // Placing it twice files nothing new.
            let again = try await api.send(.post, "/api/v1/unplaced/\(token)/place", as: "operator", json: ["lat": p.lat, "lon": p.lon])
            #expect(again.string("case.number") == placedNumber, "\(again)")
        }
    }

    @Test func hotlineOrdersWithAnUnknownAddressWaitOnceAndAreNotLost() async throws {
        try await TestCity.serve { api in
            _ = try await Self.importPlaces(api)
            var order = HotlineAPITests.order(api, ticket: "RX-ADDR-1", callback: nil)
            order.removeValue(forKey: "lat")
            order.removeValue(forKey: "lon")
            order["address"] = "幸福里小区3号楼"
            let first = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: order)
            #expect(first.status == .accepted, "\(first)")
            let id = try #require(first.string("id"))
            for _ in 0..<2 {
                let replay = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: order)
                #expect(replay.status == .accepted && replay.string("id") == id)
            }
            #expect(try await api.get("/api/v1/unplaced", as: "operator").objects("").filter { $0["address"] as? String == "幸福里小区3号楼" }.count == 1)
            // Placed by an operator, the same ticket sent again is the case it became.
            let point = api.city.point
            let placed = try await api.send(.post, "/api/v1/unplaced/\(id)/place", as: "operator", json: ["lat": point.lat, "lon": point.lon])
            let number = try #require(placed.string("case.number"), "\(placed)")
            let afterPlacing = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: order)
            #expect(afterPlacing.status == .ok && afterPlacing.string("case.number") == number, "\(afterPlacing)")
            #expect(afterPlacing.string("case.reporters.0.ticket") == "RX-ADDR-1")
            // An address on the table is filed at once.
            order["ticketNumber"] = "RX-ADDR-2"
            order["address"] = "二七广场1号"
            let known = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: order)
            #expect(known.status == .created, "\(known)")
            // Neither a point nor an address: refused, naming the field.
            order["ticketNumber"] = "RX-ADDR-3"
            order.removeValue(forKey: "address")
            let nowhere = try await api.send(.post, "/api/v1/hotline/orders", as: "partner", json: order)
            #expect(nowhere.status == .unprocessableContent && nowhere.errorField == "lat", "\(nowhere)")
        }
    }

    @Test func theDemoCityHasAPlaceTable() async throws {
        try await TestCity.serve { api in
            let index = api.city.platform.context.places
            #expect(index.count > 10)
            let place = try #require(index.places.first { $0.name.hasSuffix("居委会") })
            #expect(index.resolve(place.name)?.place == place)
            let key = try await Open311APITests.key(api)
            let r = try await Open311APITests.post(
                api, "/requests.json", ["api_key": key, "service_code": "06010", "address_string": "郑州市" + place.name, "description": "垃圾"])
            let number = try #require(r.string("0.service_request_id"), "\(r)")
            let filed = try await api.get(Open311APITests.base + "/requests/\(number).json")
            #expect(filed["0.lat"] as? Double == place.point.lat)
        }
    }
}
