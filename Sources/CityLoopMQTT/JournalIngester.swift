import CityLoopDomain
import CityLoopServices
import CoreMetrics
import Foundation
import Logging

/// Takes the node's journal of device messages into ingest in large batches (the rules, the readings, the
/// alarms), recording with each batch how far the journal is done: after a crash or a kill it goes on from there,
/// and nothing is ingested twice. It reads whatever has gathered since the last batch, so a faster stream of
/// messages makes larger batches rather than a longer queue.
final class JournalIngester: Sendable {
    private let store: any ReadingJournalStore
    private let ingest: DeviceIngest
    private let topics: DeviceTopics
    private let owner: String
    private let logger: Logger
    /// Messages taken into one batch at most.
    static let batchMessages = 400

    init(store: any ReadingJournalStore, ingest: DeviceIngest, topics: DeviceTopics, owner: String, logger: Logger) {
        self.store = store
        self.ingest = ingest
        self.topics = topics
        self.owner = owner
        self.logger = logger
    }

    /// Ingests the journal until `stopping` is set: what it holds at once, then each time `wake` yields.
    func run(wake: AsyncStream<Void>, stopping: StopFlag, handled: @Sendable (_ messages: Int, _ readings: Int) -> Void) async {
        var after: Int64?
        var wakes = wake.makeAsyncIterator()
        var wait = 0.1
        while !stopping.isSet {
            do {
                let entries = try await store.journal(owner: owner, after: after, limit: Self.batchMessages)
                guard let last = entries.last else {
                    if await wakes.next() == nil { return }
                    continue
                }
                var raws: [RawReading] = []
                var refused: [ReadingRejection] = []
                for e in entries {
                    let (r, f) = read(e.message)
                    raws += r
                    refused += f
                }
                _ = try await ingest.ingest(raws, refused: refused, journal: JournalMark(owner: owner, seq: last.seq))
                after = last.seq
                Counter(label: "cityloop_mqtt_readings_total").increment(by: raws.count)
                handled(entries.count, raws.count + refused.count)
                wait = 0.1
            } catch {
                logger.error("journal readings not stored; trying again", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(wait))
                wait = min(wait * 2, 5)
            }
        }
    }

    /// The readings of one message, and what of it is refused (counted against the device its topic or entry
    /// names; an entry of a gateway naming no readable device is only logged).
    func read(_ message: JournalMessage) -> (readings: [RawReading], refused: [ReadingRejection]) {
        var device: String?
        if case .device(let id) = topics.sender(in: message.topic) { device = id }
        var raws: [RawReading] = []
        var refused: [ReadingRejection] = []
        var unread: String?
        do {
            let (readings, problems) = try ReadingPayload.decode(message.payload, device: device)
            raws = readings
            refused = problems.compactMap { p in p.device.map { ReadingRejection(malformed: $0, "\(p.field): \(p.message)") } }
            if let p = problems.first { unread = "\(p.field): \(p.message)" }
        } catch let e as DomainError {
            unread = e.message
        } catch {
            unread = "\(error)"
        }
        if let unread {
            if raws.isEmpty, refused.isEmpty, let device { refused.append(ReadingRejection(malformed: device, unread)) }
            Counter(label: "cityloop_mqtt_refused_total", dimensions: [("reason", "malformed")]).increment()
            logger.notice("mqtt readings refused", metadata: ["topic": "\(message.topic.prefix(200))", "reason": "\(unread.prefix(200))"])
        }
        return (raws, refused)
    }
}
