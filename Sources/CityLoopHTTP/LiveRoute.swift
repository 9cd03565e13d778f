import CityLoopDomain
import CityLoopServices
import Foundation
import Hummingbird
import ServiceLifecycle

/// `GET /api/v1/live`: the live feed as server-sent events (`text/event-stream`). Browsers' EventSource cannot send
/// headers, so the bearer token may come as `access_token` in the query. Each account receives only the changes to
/// cases it may see; vehicles and the review queue's candidates only to the pages that ask for them (`?vehicles=true`,
/// `?candidates=true`), and candidates only when the account's role reads the queue; a comment line every 15 s keeps
/// proxies from closing the stream; the stream ends when the server shuts down (browsers reconnect after `retry`).
struct LiveRoute: Sendable {
    let platform: Platform

    static let heartbeat: Duration = .seconds(15)

    func register(on api: APIBuilder) {
        let platform = self.platform
        let accounts = AccountService(platform: platform)
        let cases = CaseService(platform: platform)
        api.add(.get, "/api/v1/live", "The live feed of case changes you may see, as server-sent events (events `case`, `unplaced`, `alert`, `alarm`; "
                + "`vehicles` with ?vehicles=true; `candidate` with ?candidates=true to the roles that read the review queue: a detection candidate "
                + "opened, grown, reviewed or filed, with id, status, detectionType, camera, zone, sampled, count, score, lastSeen, caseID)",
                tag: "console", access: "signed in (Authorization header or access_token)", query: ["access_token", "vehicles", "candidates"]) { req, ctx in
            let actor: Actor
            if let a = ctx.actor {
                actor = a
            } else if let token = req.query("access_token") {
                actor = Actor(try await accounts.authenticate(token: token))
            } else {
                throw DomainError(.unauthenticated, code: "auth.required", "sign in first: send Authorization: Bearer <token> or access_token")
            }
            let seesUnplaced = [Role.operator, .shiftLead, .admin].contains(actor.role)
            let seesAlerts = ConsoleRoutes.dashboardRoles.contains(actor.role)
            let seesAlarms = seesAlerts || [Role.operator, .shiftLead, .dispatcher, .admin].contains(actor.role)
            // Vehicles only to the fleet map that asks for them: every moving truck every 2 s is a lot for other pages.
            let vehicles = req.query("vehicles")
            guard vehicles == nil || vehicles == "true" || vehicles == "false" else { throw DomainError.invalid("vehicles", "vehicles must be true or false") }
            let seesFleet = vehicles == "true" && [Role.operator, .shiftLead, .dispatcher, .leader, .admin, .inspector].contains(actor.role)
            // Candidates only to the review queue that asks for them: one per detection joining a scene, which no other page shows.
            let candidates = req.query("candidates")
            guard candidates == nil || candidates == "true" || candidates == "false" else {
                throw DomainError.invalid("candidates", "candidates must be true or false")
            }
            let seesCandidates = candidates == "true" && CandidateReview.readers.contains(actor.role)
            // An inspector's, only from the cameras looking into their grids (read once for the stream).
            let cameraScope = seesCandidates ? try await CandidateReview(platform: platform).visibleCameras(to: actor) : nil
            let (items, unsubscribe) = platform.live.subscribe()
            let unwatch: (@Sendable () -> Void)? = seesFleet ? platform.live.watchVehicles() : nil
            let cancel: @Sendable () -> Void = {
                unwatch?()
                unsubscribe()
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            let body = ResponseBody { writer in
                let (frames, frameSink) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingNewest(1000))
                let forward = Task {
                    for await item in items {
                        if let record = item.record {
                            guard cases.isVisible(record, to: actor) else { continue }
                        } else {
                            let sees = switch item.event.type {
                            case "vehicles": seesFleet
                            case "alert": seesAlerts
                            case "alarm": seesAlarms
                            case "candidate": seesCandidates && (cameraScope.map { scope in item.event.camera.map { scope.contains(CameraID($0)) } ?? false } ?? true)
                            default: seesUnplaced
                            }
                            guard sees else { continue }
                        }
                        frameSink.yield(Self.frame(item.event))
                    }
                    frameSink.finish()
                }
                let beat = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.heartbeat)
                        frameSink.yield(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
                defer {
                    forward.cancel()
                    beat.cancel()
                    cancel()
                }
                try await withGracefulShutdownHandler {
                    try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
                    for await frame in frames { try await writer.write(frame) }
                } onGracefulShutdown: {
                    cancel()
                    frameSink.finish()
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    /// One event as an SSE frame: `event: <type>`, `id`, and the JSON on one `data` line.
    static func frame(_ e: LiveEvent) -> ByteBuffer {
        let json = (try? APIJSON.encoder.encode(e)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "event: \(e.type)\ndata: \(json)\n\n")
    }
}
