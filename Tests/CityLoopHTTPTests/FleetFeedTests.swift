import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import Testing

/// Vehicles on the live feed: while a console is subscribed, each tick sends the vehicles that reported since the
/// previous tick (read from the database, whichever node took the positions), and nothing when none moved.
@Suite struct FleetFeedTests {
    @Test func aTickSendsTheVehiclesThatMovedSinceTheLastOne() async throws {
        try await TestCity.serve { api in
            let feed = FleetFeed(platform: api.city.platform)
            #expect(try await feed.tick() == 0)
            let (items, cancel) = api.city.platform.live.subscribe()
            defer { cancel() }
            // A console that did not ask for vehicles costs nothing.
            #expect(try await feed.tick() == 0)
            let unwatch = api.city.platform.live.watchVehicles()
            defer { unwatch() }
            // The first tick with a console connected takes where everyone is as the start.
            #expect(try await feed.tick() == 0)
            let truck: [String: Any] = ["id": "T-1", "plate": "豫A12345", "kind": "muckTruck", "hasLoadSensor": true]
            #expect(try await VehicleAPITests.array(api, .put, "/api/v1/vehicles", [truck]).status == .ok)
            let p = api.city.point
            let at = api.city.clock.now().addingTimeInterval(-60)
            let posted = try await api.send(
                .post, "/api/v1/vehicles/positions", as: "admin",
                json: ["positions": [["vehicle": "T-1", "at": VehicleAPITests.iso(at), "lat": p.lat, "lon": p.lon, "speed": 30, "load": "full"]]])
            #expect(posted.int("stored") == 1, "\(posted)")
            // Anything else, and the reading below would wait for an event that never comes.
            try #require(try await feed.tick() == 1)
            #expect(try await feed.tick() == 0)
            // Published before the tick returned, so it waits in the subscription (after any other item published meanwhile).
            var iterator = items.makeAsyncIterator()
            var item = try #require(await iterator.next())
            while item.event.type != "vehicles" { item = try #require(await iterator.next()) }
            #expect(item.record == nil)
            #expect(item.event.positions?.map(\.vehicleID) == ["T-1"] && item.event.positions?.first?.load == .full)
        }
    }
}
