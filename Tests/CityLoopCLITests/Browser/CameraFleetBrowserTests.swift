import AsyncHTTPClient
import CityLoopBrowser
import Foundation
import NIOCore
import Testing

/// The camera review queue and the fleet pages in a real browser: an operator sees a scene a camera reported twice
/// as one candidate with its snapshots and boxes, is told the server's reason for a refused merge, files it as a case
/// and sees the precision count the decision, in Chinese and in English; a dispatcher finds a truck on the fleet map,
/// sees its newer position arrive without a reload, and replays its track with its events on the vehicle's page; the
/// weighbridge tickets of that truck (arrived empty after dumping) and of a demo truck show on the fleet page, and the
/// truck's page lists its trips and tickets.
@Suite(.serialized, .enabled(if: BrowserHarness.shouldRun, "needs /usr/bin/chromium and /usr/bin/chromedriver (set CI=true to make their absence fail)"))
struct CameraFleetBrowserTests {
    /// Posts a detection of camera `cam-1` as a camera platform would: multipart with its metadata and snapshot.
    static func postDetection(_ h: BrowserHarness, time: Date, snapshot: Data) async throws -> APIReply {
        let meta = #"""
            {"camera": "cam-1", "time": "\#(ISO8601DateFormatter().string(from: time))", "type": "exposedGarbage", "score": 0.9,
             "boxes": [{"x": 0.4, "y": 0.5, "width": 0.2, "height": 0.2, "label": "garbage"}], "model": "yolo", "modelVersion": "8.1"}
            """#
        let boundary = "----cityloop-\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n\(meta)\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"snapshot\"; filename=\"frame.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
        body += snapshot
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        var req = HTTPClientRequest(url: h.base + "/api/v1/detections")
        req.method = .POST
        req.headers.add(name: "Authorization", value: "Bearer \(try await h.token(.admin))")
        req.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        req.body = .bytes(ByteBuffer(bytes: body))
        let res = try await h.client.execute(req, timeout: .seconds(120))
        let data = Data(try await res.body.collect(upTo: 1 << 20).readableBytesView)
        return APIReply(status: Int(res.status.code), body: (try? JSONValue(parsing: data)) ?? .null, text: String(decoding: data, as: UTF8.self))
    }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    @Test func anOperatorFilesACameraSceneSeenTwiceAndThePrecisionCountsIt() async throws {
        try await BrowserHarness.run { h in
            // setup: a camera looking at a device's spot (inside the inspector's grids, who sees only their cameras'
            // candidates), and two detections of one scene
            try await h.signInQuickly(.operator)
            let scopes = (try await h.api(.GET, "/api/v1/me", as: .inspector).body["gridScopes"]?.array ?? []).compactMap(\.string)
            let devices = try await h.api(.GET, "/api/v1/devices?limit=1000", as: .admin)
            let spot = try #require(
                devices.body.array?.first { d in scopes.contains { d["gridCode"]?.string?.hasPrefix($0) == true } }?["point"],
                "a device in the inspector's grids \(scopes): \(devices.text.prefix(300))")
            let lat = try #require(spot["lat"]?.double), lon = try #require(spot["lon"]?.double)
            let camera = try await h.api(
                .PUT, "/api/v1/cameras", as: .admin,
                json: #"[{"id": "cam-1", "name": "人民路口", "location": {"lat": \#(lat), "lon": \#(lon)}, "heading": 90, "range": 2}]"#)
            #expect(camera.status == 200, "\(camera.text)")
            let now = Date()
            for i in 0..<2 {
                let photo = try await h.makePhoto("cam-frame-\(i)", label: "cam-1 frame \(i + 1)", width: 640, height: 360)
                let posted = try await Self.postDetection(h, time: now.addingTimeInterval(Double(i * 30 - 60)), snapshot: try Data(contentsOf: photo))
                #expect(posted.status == 201, "\(posted.text)")
            }

            // MUT: the operator opens the review queue
            // (the demo's cameras have candidates of their own waiting: the queue is filtered to this camera)
            try await h.open("#/detections?camera=cam-1")
            let row = "[data-testid=det-row][data-type=exposedGarbage]"
            try await h.waitFor(row)

            // validate: one candidate seen twice, labelled in Chinese, with its first snapshot
            _ = try await h.waitUntil("document.querySelectorAll('[data-testid=det-row]').length === 1", "one candidate in the queue")
            #expect(try await h.text("\(row) [data-testid=det-count]") == "2")
            #expect(try await h.text("\(row) [data-testid=det-type]") == (try await h.t("detection.type.exposedGarbage")))
            _ = try await h.waitUntil("document.querySelector('[data-testid=det-row] .det-thumb img')?.naturalWidth > 0", "the thumbnail")

            // MUT: the candidate opened
            try await h.click("\(row) [data-testid=det-open]")
            try await h.waitForText("[data-testid=det-detail-count]", contains: "2")
            _ = try await h.waitUntil(
                "[...document.querySelectorAll('[data-testid=det-snapshot] img')].filter((x) => x.naturalWidth > 0).length === 2",
                "both snapshots shown")
            #expect(try await h.browser.findAll("[data-testid=det-detail] [data-testid=det-box]").count == 2, "a box over each snapshot")
            #expect(try await h.browser.findAll("[data-testid=det-detection]").count == 2)
            try await h.screenshot("candidate", showing: "[data-testid=det-detail]")

            // MUT: a rejection for another reason without a note, then a merge into a case that does not exist
            try await h.fill("[data-testid=det-reason]", "other")
            try await h.click("[data-testid=det-reject]")
            try await h.waitForText("[data-testid=det-error]", contains: h.t("detection.noteRequired"))
            try await h.fill("[data-testid=det-merge-case]", "NO-SUCH-CASE")
            try await h.click("[data-testid=det-merge]")

            // validate: the server's reason is shown, and the candidate is still pending
            try await h.waitForText("[data-testid=det-error]", contains: "does not exist")
            #expect(try await h.browser.exists("[data-testid=det-detail] [data-testid=det-state][data-state=pending]"))

            // MUT: accepted
            try await h.click("[data-testid=det-accept]")

            // validate: the case's link, the queue empty, the precision counting one review
            let link = "[data-testid=det-result] [data-testid=det-case-link]"
            try await h.waitFor(link)
            let caseID = try #require(try await h.browser.executeScript("return document.querySelector(arguments[0]).dataset.case", [.string(link)]).string)
            let accepted = try await h.api(.GET, "/api/v1/detection-candidates?state=accepted&camera=cam-1", as: .operator)
            #expect(accepted.body.array?.first?["candidate"]?["state"]?["caseID"]?.string == caseID, "\(accepted.text.prefix(400))")
            try await h.waitFor("[data-testid=det-empty]")
            let precision = "[data-testid=precision-by-type] [data-testid=precision-row][data-type=exposedGarbage]"
            try await h.waitFor("\(precision)[data-reviewed='1']")
            #expect(try await h.text("\(precision) [data-testid=precision-rate]") == "100.0%")
            _ = try await h.waitUntil("!document.querySelector(arguments[0]).textContent.includes(arguments[1])", [.string(link), .string(caseID)], timeout: nil, "the case's number")
            try await h.screenshot("accepted", fullPage: true)
            try await h.click(link)
            try await h.waitForHash("#/case/\(caseID)")
            try await h.waitFor("[data-testid=case-page] #case-title")

            // MUT: the filed candidates in English
            try await h.open("#/detections?state=accepted&camera=cam-1")
            try await h.waitForText("\(row) [data-testid=det-type]", contains: h.t("detection.type.exposedGarbage"))
            try await h.click(".lang-switch")

            // validate: the type's label changes
            try await h.waitForText("\(row) [data-testid=det-type]", contains: h.t("detection.type.exposedGarbage", "en"))
            try await h.waitForText("\(row) [data-testid=det-state]", contains: h.t("detection.state.accepted", "en"))
            try await h.screenshot("accepted-en")
            try await h.click(".lang-switch")
            try await h.waitUntil("document.documentElement.lang === 'zh-CN'")

            // validate: an inspector reviews too, and sees the snapshots through the candidate
            try await h.signInQuickly(.inspector)
            try await h.open("#/detections?state=accepted&camera=cam-1")
            try await h.waitUntil("(document.querySelector(arguments[0] + ' .det-thumb img') || {}).naturalWidth > 0", [.string(row)], "the inspector's thumbnail loads")
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }

    @Test func aDispatcherFindsATruckOnTheFleetMapAndReplaysItsTrack() async throws {
        try await BrowserHarness.run { h in
            // setup: a muck truck of a haulage company loaded in one of the city's construction sites, driven out and
            // emptied in a field, then weighed nearly empty at a disposal site; a demo truck weighed loaded there
            try await h.signInQuickly(.dispatcher)
            let sites = try await h.api(.GET, "/api/v1/vehicle-sites", as: .admin).body.array ?? []
            let site = try #require(sites.first { $0["kind"]?.string == "constructionSite" }, "a construction site in the demo city")
            let ring = site["boundary"]?["outer"]?.array ?? []
            let centre = (lat: ring.compactMap { $0["lat"]?.double }.reduce(0, +) / Double(ring.count), lon: ring.compactMap { $0["lon"]?.double }.reduce(0, +) / Double(ring.count))
            // About 1.5 km away, clear of every site.
            func inSite(_ lat: Double, _ lon: Double) -> Bool {
                sites.contains { s in
                    let r = s["boundary"]?["outer"]?.array ?? []
                    let lats = r.compactMap { $0["lat"]?.double }, lons = r.compactMap { $0["lon"]?.double }
                    return (lats.min()! - 0.003...lats.max()! + 0.003).contains(lat) && (lons.min()! - 0.003...lons.max()! + 0.003).contains(lon)
                }
            }
            var field = (lat: centre.lat + 0.0135, lon: centre.lon)
            while inSite(field.lat, field.lon) { field.lon += 0.005 }
            let saved = try await h.api(
                .PUT, "/api/v1/vehicles", as: .admin,
                json: #"[{"id": "T-1", "plate": "豫A12345", "kind": "muckTruck", "hasLoadSensor": true, "companyID": "haulage-hengtong"}]"#)
            #expect(saved.status == 200, "\(saved.text)")
            let t0 = Date().addingTimeInterval(-3600)
            var positions: [String] = []
            func position(_ at: Date, _ lat: Double, _ lon: Double, speed: Double, load: String) -> String {
                #"{"vehicle": "T-1", "at": "\#(Self.iso(at))", "lat": \#(lat), "lon": \#(lon), "speed": \#(speed), "load": "\#(load)"}"#
            }
            for i in 0..<8 { positions.append(position(t0.addingTimeInterval(Double(i * 15)), centre.lat, centre.lon, speed: 0, load: "full")) }
            for i in 1...10 {
                let f = Double(i) / 10
                positions.append(position(t0.addingTimeInterval(Double(120 + i * 15)), centre.lat + (field.lat - centre.lat) * f, centre.lon + (field.lon - centre.lon) * f, speed: 40, load: "full"))
            }
            positions.append(position(t0.addingTimeInterval(300), field.lat, field.lon, speed: 0, load: "empty"))
            let posted = try await h.api(.POST, "/api/v1/vehicles/positions", as: .admin, json: #"{"positions": [\#(positions.joined(separator: ","))]}"#)
            #expect(posted.status == 200 && posted.body["stored"]?.int == 19, "\(posted.text)")
            let kinds = (posted.body["events"]?.array ?? []).compactMap { $0["kind"]?.string }
            #expect(kinds.contains("dumpingSuspected"), "\(posted.text)")
            let disposal = try #require(sites.first { $0["kind"]?.string == "disposalSite" }?["id"]?.string, "a disposal site in the demo city")
            let demoTruck = "ZT-0001"
            #expect(try await h.api(.GET, "/api/v1/vehicles/\(demoTruck)", as: .admin).status == 200, "the demo fleet's first truck")
            let tickets = try await h.api(
                .POST, "/api/v1/weighbridge-tickets", as: .admin,
                json: #"""
                    [{"number": "WB-T1-0001", "siteID": "\#(disposal)", "plate": "豫A·12345", "weighedAt": "\#(Self.iso(t0.addingTimeInterval(900)))",
                      "grossKg": 13200, "tareKg": 13000, "material": "渣土"},
                     {"number": "WB-ZT-0001", "siteID": "\#(disposal)", "vehicleID": "\#(demoTruck)",
                      "weighedAt": "\#(Self.iso(Date().addingTimeInterval(-1800)))", "grossKg": 31000, "tareKg": 13000}]
                    """#)
            let outcomes = tickets.body.array ?? []
            #expect(tickets.status == 200 && outcomes.count == 2, "\(tickets.text)")
            #expect(outcomes.first?["vehicleID"]?.string == "T-1" && outcomes.first?["finding"]?.string == "arrivedEmpty", "\(tickets.text)")
            #expect(outcomes.first?["tripStartedAt"]?.string == Self.iso(t0), "the dumping trip: \(tickets.text)")
            let demoFinding = outcomes.last?["finding"]?.string

            // MUT: the dispatcher opens the fleet map
            try await h.open("#/fleet")
            let item = "[data-testid=fleet-vehicle][data-id='T-1']"
            try await h.waitFor(item)

            // validate: the truck in the list, empty, and on the map with its popup
            #expect(try await h.text("\(item) [data-testid=fleet-plate]") == "豫A12345")
            try await h.waitFor("\(item)[data-load=empty]")
            _ = try await h.waitUntil("Number(document.getElementById('fleet-map')?.dataset.markers) >= 1", "the truck's marker")
            try await h.click("\(item) [data-testid=fleet-locate]")
            try await h.waitForText(".leaflet-popup [data-testid=fleet-popup]", contains: "豫A12345")
            try await h.waitForText(".leaflet-popup [data-testid=fleet-popup]", contains: h.t("fleet.load.empty"))

            // validate: the weighbridge panel: both tickets with their findings, the company's totals
            let emptyTicket = "[data-testid=fleet-wb-ticket][data-number='WB-T1-0001']"
            try await h.waitFor(emptyTicket)
            #expect(try await h.text("\(emptyTicket) [data-testid=fleet-wb-plate]") == "豫A12345")
            #expect(try await h.text("\(emptyTicket) [data-testid=ticket-finding]") == (try await h.t("weighbridge.finding.arrivedEmpty")))
            let demoTicket = "[data-testid=fleet-wb-ticket][data-number='WB-ZT-0001'][data-vehicle='\(demoTruck)']"
            #expect(try await h.text("\(demoTicket) [data-testid=ticket-finding]") == (try await h.t("weighbridge.finding.\(demoFinding ?? "none")")))
            #expect(try await h.text("\(demoTicket) .num") == (try await h.t("weighbridge.tonnes")).replacingOccurrences(of: "{t}", with: "18.00"))
            let company = "[data-testid=fleet-wb-total][data-company=haulage-hengtong]"
            let departments = try await h.api(.GET, "/api/v1/departments", as: .dispatcher).body.array ?? []
            let hengtong = try #require(departments.first { $0["id"]?.string == "haulage-hengtong" }?["name"]?.string, "the demo's haulage company")
            #expect(try await h.text("\(company) [data-testid=fleet-wb-company]") == hengtong)
            // The test's truck and the demo's ZT-0001 both belong to Hengtong.
            #expect(try await h.text("\(company) [data-testid=fleet-wb-count]") == "2")
            #expect(try await h.text("\(company) [data-testid=fleet-wb-empty]") == "1")
            try await h.screenshot("fleet-weighbridge", showing: "[data-testid=fleet-weighbridge]")

            // validate: the demo's drivers, each with the truck they drive now
            let driverRow = "[data-testid=fleet-driver][data-id='SJ-0001']"
            try await h.waitFor(driverRow)
            #expect(try await h.text("\(driverRow) [data-testid=fleet-driver-vehicles]").contains("豫A80001"))
            #expect(try await h.text("\(driverRow) [data-testid=fleet-driver-name]").isEmpty == false)

            // MUT: a newer position, loaded, as the fleet platform sends it
            let newer = try await h.api(
                .POST, "/api/v1/vehicles/positions", as: .admin,
                json: #"{"positions": [\#(position(Date().addingTimeInterval(-5), field.lat, field.lon, speed: 12, load: "full"))]}"#)
            #expect(newer.status == 200, "\(newer.text)")

            // validate: it arrives with the next refresh, without a reload
            try await h.waitFor("\(item)[data-load=full]", timeout: .seconds(90))
            try await h.screenshot("fleet", showing: "#fleet-map")

            // MUT: the truck's page
            try await h.click("\(item) [data-testid=fleet-plate]")
            try await h.waitForHash("#/vehicle/T-1")

            // validate: its track of the last 24 hours, replayed to the end, and its events named
            try await h.waitForText("[data-testid=vehicle-title]", contains: "豫A12345")
            _ = try await h.waitUntil("Number(document.getElementById('vehicle-map')?.dataset.points) === 20", "the track's 20 positions")
            try await h.click("[data-testid=vehicle-play]")
            _ = try await h.waitUntil("Number(document.getElementById('vehicle-map').dataset.index) === 19", "the replay at the last position")
            let dumping = "[data-testid=vehicle-event][data-kind=dumpingSuspected] [data-testid=vehicle-event-kind]"
            try await h.waitForText(dumping, contains: h.t("vehicle.event.dumpingSuspected"))
            try await h.waitFor("[data-testid=vehicle-event][data-kind=weighedEmpty]")

            // validate: its trips: the one that ended in dumping with its ticket, and the one under way since the newer position
            let dumpingTrip = "[data-testid=vehicle-trip][data-started='\(Self.iso(t0))']"
            #expect(try await h.text("\(dumpingTrip) [data-testid=vehicle-trip-dumping]") == (try await h.t("vehicle.event.dumpingSuspected")))
            #expect(try await h.text("\(dumpingTrip) [data-testid=vehicle-trip-tickets]") == "WB-T1-0001")
            let underway = "[data-testid=vehicle-trip][data-underway=true] [data-testid=vehicle-trip-underway]"
            #expect(try await h.text(underway) == (try await h.t("vehicle.trip.underway")))
            // its weighbridge tickets, with the finding labelled
            let section = "[data-testid=vehicle-tickets-section]"
            #expect(try await h.text("\(section) h2") == (try await h.t("vehicle.tickets")))
            let ticket = "\(section) [data-testid=vehicle-ticket][data-number='WB-T1-0001'][data-finding=arrivedEmpty]"
            #expect(try await h.text("\(ticket) [data-testid=ticket-finding]") == (try await h.t("weighbridge.finding.arrivedEmpty")))
            #expect(try await h.browser.findAll("\(section) [data-testid=vehicle-ticket]").count == 1, "only this truck's ticket")
            try await h.screenshot("vehicle", fullPage: true)
            try await h.click(".lang-switch")
            try await h.waitForText(dumping, contains: h.t("vehicle.event.dumpingSuspected", "en"))
            try await h.waitForText("\(ticket) [data-testid=ticket-finding]", contains: h.t("weighbridge.finding.arrivedEmpty", "en"))
            try await h.waitForText("\(section) h2", contains: h.t("vehicle.tickets", "en"))
            try await h.waitForText(underway, contains: h.t("vehicle.trip.underway", "en"))
            let errors = try await h.consoleErrors(network: false)
            #expect(errors.isEmpty, "console errors: \(errors.map(\.summary))")
        }
    }
}
