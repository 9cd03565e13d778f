import CityLoopDomain
import CityLoopServices
import Foundation
import Testing

/// Shapefile and GeoPackage through GDAL's ogr2ogr (installed by scripts/bootstrap): written from a GeoJSON
/// fixture by ogr2ogr itself, imported, and compared coordinate for coordinate.
@Suite struct OGRConversionTests {
    static let fixture = #"""
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"code":"410102001001","level":"community","name":"测试社区","parent":"410102001"},"geometry":{"type":"Polygon","coordinates":[[[113.61234567890123,34.74123456789012],[113.62234567890123,34.74123456789012],[113.62234567890123,34.75123456789012],[113.61234567890123,34.75123456789012],[113.61234567890123,34.74123456789012]]]}},
        {"type":"Feature","properties":{"code":"41010200100101","level":"grid","name":"","parent":"410102001001"},"geometry":{"type":"Polygon","coordinates":[[[113.61234567890123,34.74123456789012],[113.61734567890121,34.74123456789012],[113.61734567890121,34.74623456789017],[113.61234567890123,34.74623456789017],[113.61234567890123,34.74123456789012]]]}}
        ]}
        """#

    func run(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(OGRConversion.executable(), "ogr2ogr missing: run scripts/bootstrap (gdal-bin)"))
        p.arguments = args
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "ogr2ogr \(args)")
    }

    @Test(arguments: ["gpkg", "shp", "shp.zip"])
    func gisFilesImportLikeTheirGeoJSON(_ ext: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cityloop-ogr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("fixture.geojson")
        try Data(Self.fixture.utf8).write(to: source)
        let target = folder.appendingPathComponent("grids.\(ext)")
        // A Shapefile's text encoding is named in its .cpg (Chinese GIS exports: UTF-8 or GBK); GDAL recodes to UTF-8.
        try run(["-f", ext == "gpkg" ? "GPKG" : "ESRI Shapefile"] + (ext == "gpkg" ? [] : ["-lco", "ENCODING=UTF-8"]) + [target.path, source.path])
        #expect(OGRConversion.handles(path: target.path))

        let converted = try OGRConversion.geoJSON(fromFile: target.path)
        let (areas, grids) = try GeoJSON.decodeAreas(converted)
        let (wantAreas, wantGrids) = try GeoJSON.decodeAreas(Data(Self.fixture.utf8))
        #expect(areas.map(\.code) == wantAreas.map(\.code))
        #expect(areas.first?.name == "测试社区")
        #expect(grids.map(\.code) == wantGrids.map(\.code))
        // Same coordinates bit for bit (a ring may come back with its start moved or turned: compare as sets).
        #expect(Set(grids.flatMap(\.boundary.outer)) == Set(wantGrids.flatMap(\.boundary.outer)))
        #expect(Set(areas.flatMap(\.boundary.outer)) == Set(wantAreas.flatMap(\.boundary.outer)))
        if ext == "gpkg" {
            let upload = try #require(try OGRConversion.geoJSON(fromUpload: try Data(contentsOf: target)))
            #expect(try GeoJSON.decodeAreas(upload).grids.map(\.code) == wantGrids.map(\.code))
        }
    }

    @Test func withoutGDALTheMessageSaysWhatToInstall() throws {
        let e = #expect(throws: DomainError.self) { try OGRConversion.geoJSON(fromFile: "/tmp/x.shp", ogr2ogr: nil) }
        #expect(e?.code == "gdal.missing")
        #expect(e?.message.contains("gdal-bin") == true)
        #expect(OGRConversion.executable(environment: ["PATH": "/nonexistent"]) == nil)
        // GeoJSON uploads are not GDAL's business.
        #expect(try OGRConversion.geoJSON(fromUpload: Data("{}".utf8)) == nil)
    }
}
