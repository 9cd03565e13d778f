@testable import CityLoopDomain
import Foundation
import Testing

/// Properties over 500 seeded random tracks: reports arriving out of order (shuffled, or a buffered block sent
/// late) never raise more than the same reports in order, and a repeated report never raises anything.
///
/// The tracks are made of phases as trucks drive them: 150 s to 400 s in one site, on the corridor or off it, at a
/// steady load and speed class. Reports out of order are not evaluated, so what the tracker sees is an ordered
/// subset of the track; the property holds for such subsets because every phase outlasts the dwell, the excursion
/// and speeding times and the continuity gap. (It cannot hold for any track whatever: two passes through a site
/// that each last less than the dwell look like one stay to a tracker that never sees the fixes between them.)
@Suite("Vehicle tracker: out-of-order properties")
struct VehicleTrackerPropertyTests {
    typealias F = VehicleFixtures

    enum Place: CaseIterable { case construction, disposal, weighbridge, zone, corridor, offCorridor }

    /// A random point of `place`: well inside a site, or on the road clear of every site.
    static func point(_ place: Place, _ rng: inout SplitMix64) -> GeoPoint {
        switch place {
        case .construction: return F.at(east: rng.between(-80...80), north: rng.between(-80...80))
        case .disposal: return F.at(east: 5000 + rng.between(-120...120), north: rng.between(-120...120))
        case .weighbridge: return F.at(east: 2500 + rng.between(-24...24), north: rng.between(-24...24))
        case .zone: return F.at(east: rng.between(-400...400), north: 3000 + rng.between(-400...400))
        case .corridor:
            let east = rng.uniform() < 0.5 ? rng.between(300...2400) : rng.between(2600...4700)
            return F.at(east: east, north: rng.between(-20...20))
        case .offCorridor:
            return F.at(east: rng.between(300...4700), north: (rng.uniform() < 0.5 ? -1 : 1) * rng.between(400...900))
        }
    }

    /// One random track of a truck with (even seeds) or without a permit.
    static func track(seed: UInt64) -> (VehicleID, [VehiclePosition]) {
        var rng = SplitMix64(state: seed)
        let vehicle: VehicleID = seed % 2 == 0 ? F.truckID : "truck-9"
        var time = F.midnight.addingTimeInterval(Double(rng.next() % 86_400))
        let bitChoices: [UInt32] = [0, 1 << 8, 1 << 27, 1 << 8 | 1 << 28, 1 << 0]
        var bits: UInt32 = 0
        var positions: [VehiclePosition] = []
        for _ in 0..<(6 + Int(rng.next() % 9)) {
            let place = Place.allCases[Int(rng.next() % UInt64(Place.allCases.count))]
            let load = [VehicleLoad.empty, .half, .full][Int(rng.next() % 3)]
            let onRoad = place == .corridor || place == .offCorridor
            let speed = onRoad ? (rng.uniform() < 0.3 ? rng.between(70...80) : rng.between(20...50)) : rng.between(0...5)
            let end = time.addingTimeInterval(rng.between(150...400))
            while time < end {
                if rng.uniform() < 0.05 { bits = bitChoices[Int(rng.next() % UInt64(bitChoices.count))] }
                positions.append(
                    VehiclePosition(
                        vehicleID: vehicle, time: time, point: point(place, &rng), speedKmh: speed, load: load, alarmBits: bits))
                time = time.addingTimeInterval(Double(5 + rng.next() % 11))
            }
        }
        return (vehicle, positions)
    }

    /// The events the reports raise, fed in the order given.
    static func events(_ vehicle: VehicleID, _ positions: [VehiclePosition]) -> [VehicleEvent] {
        var tracker = VehicleTracker(vehicleID: vehicle, kind: .muckTruck)
        return F.run(&tracker, positions)
    }

    /// How many events of each kind.
    static func counts(_ events: [VehicleEvent]) -> [VehicleEvent.Kind: Int] {
        events.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }

    @Test("out of order never raises more than in order, kind by kind (500 tracks)", arguments: 0..<4)
    func outOfOrder(chunk: Int) {
        var failures: [UInt64] = []
        var inOrderTotal = 0
        for k in 0..<125 {
            let seed = UInt64(chunk * 125 + k)
            let (vehicle, positions) = Self.track(seed: seed)
            let inOrder = Self.counts(Self.events(vehicle, positions))
            var rng = SplitMix64(state: seed ^ 0xA5A5)
            let shuffled = Self.counts(Self.events(vehicle, positions.shuffled(using: &rng)))
            // A buffered block of reports sent after the newer ones.
            let a = Int(rng.next() % UInt64(positions.count)), b = Int(rng.next() % UInt64(positions.count))
            let block = min(a, b)..<max(a, b)
            let reordered = Array(positions[..<block.lowerBound] + positions[block.upperBound...] + positions[block])
            let late = Self.counts(Self.events(vehicle, reordered))
            inOrderTotal += inOrder.values.reduce(0, +)
            let more = VehicleEvent.Kind.allCases.contains { kind in
                shuffled[kind, default: 0] > inOrder[kind, default: 0] || late[kind, default: 0] > inOrder[kind, default: 0]
            }
            if more { failures.append(seed) }
        }
        #expect(failures.isEmpty, "seeds: \(failures)")
        // The tracks do raise things, so the comparison means something.
        #expect(inOrderTotal > 125 * 5)
    }

    @Test("a report ingested twice raises nothing the second time (500 tracks)", arguments: 0..<4)
    func twice(chunk: Int) {
        var failures: [UInt64] = []
        for k in 0..<125 {
            let seed = UInt64(1_000 + chunk * 125 + k)
            let (vehicle, positions) = Self.track(seed: seed)
            var tracker = VehicleTracker(vehicleID: vehicle, kind: .muckTruck)
            for p in positions {
                _ = tracker.ingest(p, sites: F.sites, permits: [F.permit], settings: F.settings)
                if !tracker.ingest(p, sites: F.sites, permits: [F.permit], settings: F.settings).isEmpty { failures.append(seed) }
            }
        }
        #expect(failures.isEmpty, "seeds: \(failures)")
    }
}
