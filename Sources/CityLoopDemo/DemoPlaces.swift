import CityLoopDomain
import Foundation

/// The demo city's place table (地名地址库): every street's office and every community's residents' committee, with
/// a house number on the street's road, so reports by address can be tried at once.
enum DemoPlaces {
    static func make(areas: [Area]) -> [Place] {
        let byCode = Dictionary(uniqueKeysWithValues: areas.map { ($0.code, $0) })
        var places: [Place] = []
        var number: [String: Int] = [:]
        for a in areas where a.level == .street || a.level == .community {
            guard let street = a.level == .street ? a : a.parentCode.flatMap({ byCode[$0] }) else { continue }
            let base = street.name.replacingOccurrences(of: "街道", with: "")
            let road = base.hasSuffix("路") || base.hasSuffix("街") ? base : base + "路"
            number[road, default: 0] += 2
            let district = street.parentCode.flatMap { byCode[$0]?.name } ?? ""
            let name = a.level == .street ? "\(street.name)办事处" : "\(a.name)居委会"
            places.append(Place(name: name, address: "\(district)\(road)\(number[road]!)号", point: a.boundary.interiorPoint))
        }
        return places
    }
}
