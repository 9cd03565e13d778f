import CityLoopDemo
import CityLoopDomain

/// Demo geographies shared by the map tests, built once.
enum DemoMaps {
    /// The standard demo city, seed 1: 3,456 grids.
    static let standard = DemoGeography.build(scale: .standard, seed: 1)
    /// Its map and spatial index.
    static let standardMap = CityMap(areas: standard.areas, grids: standard.grids)
    /// The tiny demo city, seed 1: 384 grids.
    static let tiny = DemoGeography.build(scale: .tiny, seed: 1)
}
