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

    /// Ingests the journal until `stopping` is set: what it holds at once, then each time `wake` yields. The next
    /// batch is read and decoded while the one before it is written.
    func run(wake: AsyncStream<Void>, stopping: StopFlag, handled: @Sendable (_ messages: Int, _ readings: Int) -> Void) async {
        var wakes = wake.makeAsyncIterator()
        var wait = 0.1
        var ahead: Task<Batch?, any Error>?
        var after: Int64?
        while !stopping.isSet {
            do {
                let from = after
                let next = try await (ahead ?? Task { try await self.batch(after: from) }).value
                ahead = nil
                guard let batch = next else {
                    if await wakes.next() == nil { return }
                    continue
                }
                let mark = batch.mark.seq
                ahead = Task { try await self.batch(after: mark) }
                _ = try await ingest.ingest(batch.readings, refused: batch.refused, journal: batch.mark)
                after = batch.mark.seq
                Counter(label: "cityloop_mqtt_readings_total").increment(by: batch.readings.count)
                handled(batch.messages, batch.readings.count + batch.refused.count)
                wait = 0.1
            } catch {
                // Read again from the last batch stored.
                ahead?.cancel()
                ahead = nil
                logger.error("journal readings not stored; trying again", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(wait))
                wait = min(wait * 2, 5)
            }
        }
        ahead?.cancel()
    }

    /// A batch read from the journal and decoded.
    struct Batch: Sendable {
        var readings: [RawReading]
        var refused: [ReadingRejection]
        var messages: Int
        var mark: JournalMark
    }

    /// The journal's next messages after `seq`, decoded; nil when there are none.
    private func batch(after seq: Int64?) async throws -> Batch? {
        let entries = try await store.journal(owner: owner, after: seq, limit: Self.batchMessages)
        guard let last = entries.last else { return nil }
        var out = Batch(readings: [], refused: [], messages: entries.count, mark: JournalMark(owner: owner, seq: last.seq))
        for e in entries {
            let (r, f) = read(e.message)
            out.readings += r
            out.refused += f
        }
        return out
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
