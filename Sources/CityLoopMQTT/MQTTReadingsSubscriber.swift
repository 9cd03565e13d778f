import CityLoopDomain
import CityLoopServices
import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle

/// How CityLoop reaches the city's MQTT broker.
public struct MQTTOptions: Sendable, Hashable {
    /// `mqtt://host:port` (or Paho's `tcp://host:port`).
    public var url: String
    /// The city's name in the topics.
    public var city: String
    /// Connections of this node sharing the subscription: messages of several are stored together.
    public var connections: Int
    /// The start of this node's client IDs (`{prefix}-0`, `{prefix}-1`, …). A node that restarts with the same
    /// prefix finds its sessions, and the QoS 1 messages the broker kept for them, again.
    public var clientID: String
    public var username: String?
    public var password: String?

    /// Creates options.
    public init(url: String, city: String = "city", connections: Int = 4, clientID: String, username: String? = nil, password: String? = nil) {
        self.url = url
        self.city = city
        self.connections = connections
        self.clientID = clientID
        self.username = username
        self.password = password
    }

    /// Messages larger than this are refused as malformed (the broker's own limit should be the same).
    public static let maxPayload = 1 << 20
}

/// Devices' readings from the MQTT broker into ingest (设备接入·MQTT), and cameras' detections into the detection intake: QoS 1 on persistent sessions, each message
/// acknowledged to the broker only once it is in the node's journal (`ReadingJournalStore`), from which ingest
/// takes whatever has gathered in large batches (`JournalIngester`). A lost connection is connected again and
/// subscribed again until it holds; a store that cannot be reached holds the messages back (they stay with the
/// broker) until it can. Malformed payloads, unknown devices and wrong topics are refused with a reason, counted,
/// logged, and the connection goes on.
public final class MQTTReadingsSubscriber: Service, @unchecked Sendable {
    private let options: MQTTOptions
    private let topics: DeviceTopics
    private let journal: JournalAppender
    private let ingester: JournalIngester
    private let ingest: DeviceIngest
    private let detections: DetectionIntake
    private let wake: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    let logger: Logger
    let stopping = StopFlag()
    private let connections = LockedList<MQTTConnection>()
    let handledBox = LockedCount()
    /// The connections whose subscriptions are in place.
    private let subscribed = LockedSet()

    /// Messages and readings this subscriber has stored or refused (each acknowledged to the broker).
    public var handled: (messages: Int, readings: Int) { handledBox.value }

    /// Creates the subscriber of `platform`'s ingest.
    public init(platform: Platform, options: MQTTOptions, logger: Logger = Logger(label: "cityloop.mqtt")) {
        self.options = options
        topics = DeviceTopics(city: options.city)
        let wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.wake = wake
        // The journal is the node's own, named by its client IDs' prefix: a node restarting with it goes on with it.
        journal = JournalAppender(store: platform.store, owner: options.clientID) { wake.continuation.yield() }
        ingester = JournalIngester(store: platform.store, ingest: platform.deviceIngest, topics: topics, owner: options.clientID, logger: logger)
        ingest = platform.deviceIngest
        detections = platform.detectionIntake
        self.logger = logger
    }

    /// Connects every connection and keeps them connected until the service is cancelled.
    public func run() async throws {
        for i in 0..<max(1, options.connections) {
            let id = "\(options.clientID)-\(i)"
            let connection = try MQTTConnection(
                url: options.url, clientID: id, username: options.username, password: options.password, cleanSession: false,
                onMessage: { [weak self] topic, payload in self?.handle(topic: topic, payload: payload) ?? false },
                onLost: { [weak self] cause in self?.lost(id: id, cause: cause) })
            connections.append(connection)
        }
        let handledBox = handledBox
        await withTaskCancellationOrGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                // The journal into ingest, until the service is asked to stop (what is left stays for the next start).
                group.addTask { await self.ingester.run(wake: self.wake.stream, stopping: self.stopping) { handledBox.add(messages: $0, readings: $1) } }
                for c in self.connections.all { group.addTask { await self.keepConnected(c) } }
            }
        } onCancelOrGracefulShutdown: {
            self.stopping.set()
            self.wake.continuation.finish()
        }
        for c in connections.all { await c.disconnect() }
    }

    /// Whether every connection is up and subscribed (a message published before the subscription is in place is
    /// not kept for a new session).
    public var isConnected: Bool {
        let all = connections.all
        let ready = subscribed.value
        return !all.isEmpty && all.allSatisfy { $0.isConnected && ready.contains($0.clientID) }
    }

    private func keepConnected(_ c: MQTTConnection) async {
        var wait = 0.2
        while !stopping.isSet, !c.isConnected {
            do {
                try await c.connect()
                for filter in options.connections > 1 ? topics.sharedFilters : topics.filters { try await c.subscribe(filter, qos: 1) }
                subscribed.insert(c.clientID)
                logger.info("mqtt connected", metadata: ["client": "\(c.clientID)", "url": "\(c.url)"])
                return
            } catch {
                logger.warning("mqtt connect", metadata: ["client": "\(c.clientID)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(wait))
                wait = min(wait * 2, 5)
            }
        }
    }

    private func lost(id: String, cause: String) {
        subscribed.remove(id)
        logger.warning("mqtt connection lost", metadata: ["client": "\(id)", "cause": "\(cause)"])
        guard !stopping.isSet, let c = connections.all.first(where: { $0.clientID == id }) else { return }
        // Not on Paho's thread: connecting from its callback would wait on itself.
        Task.detached { await self.keepConnected(c) }
    }

    /// Handles one message on Paho's thread: returns once it is in the journal (true), or when this node is stopping
    /// (false: not acknowledged, the broker keeps it). A wrong topic or an oversized payload is refused here.
    private func handle(topic: String, payload: Data) -> Bool {
        Counter(label: "cityloop_mqtt_messages_total").increment()
        let device: String?
        switch topics.sender(in: topic) {
        case .device(let id) where ReadingPayload.isName(id, max: 64): device = id
        case .gateway(let id) where ReadingPayload.isName(id, max: 64): device = nil
        case .camera(let id) where ReadingPayload.isName(id, max: 64): return detection(camera: id, payload: payload)
        default:
            Counter(label: "cityloop_mqtt_refused_total", dimensions: [("reason", "wrong_topic")]).increment()
            logger.notice("mqtt message on a wrong topic refused", metadata: ["topic": "\(topic.prefix(200))"])
            return true
        }
        let oversized = payload.count > MQTTOptions.maxPayload
        if oversized {
            Counter(label: "cityloop_mqtt_refused_total", dimensions: [("reason", "malformed")]).increment()
            logger.notice("mqtt readings refused", metadata: ["topic": "\(topic.prefix(200))", "reason": "larger than \(MQTTOptions.maxPayload) bytes"])
        }
        var wait = 0.1
        while true {
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            let (journal, ingest, handledBox) = (journal, ingest, handledBox)
            Task {
                do {
                    if !oversized {
                        try await journal.append(JournalMessage(topic: topic, payload: payload))
                    } else {
                        // Counted against its device at once: an oversized payload is not kept.
                        let refused = device.map { [ReadingRejection(malformed: $0, "the payload is larger than \(MQTTOptions.maxPayload) bytes")] } ?? []
                        _ = try await ingest.ingest([], refused: refused)
                        handledBox.add(messages: 1, readings: refused.count)
                    }
                } catch { outcome.error = error }
                done.signal()
            }
            done.wait()
            guard let error = outcome.error else { return true }
            logger.error("mqtt message not journaled; trying again", metadata: ["topic": "\(topic.prefix(200))", "error": "\(error)"])
            if stopping.isSet { return false }
            Thread.sleep(forTimeInterval: wait)
            wait = min(wait * 2, 5)
        }
    }
}

extension MQTTReadingsSubscriber {
    /// Handles a camera's detection on Paho's thread (AI 识别·MQTT): returns once it is stored or refused (true), or
    /// when this node is stopping (false: the broker keeps it). A payload that is not a detection of the topic's
    /// camera is refused, counted and logged; a store that cannot be reached is tried again.
    func detection(camera: String, payload: Data) -> Bool {
        var wait = 0.1
        while true {
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            let intake = detections
            Task {
                do {
                    guard payload.count <= MQTTOptions.maxPayload else {
                        throw DomainError(.tooLarge, code: "detection.too_large", "the payload is larger than \(MQTTOptions.maxPayload) bytes", field: "body")
                    }
                    let message = try DetectionMessage.read(payload)
                    guard message.detection.cameraID.rawValue == camera else {
                        throw DomainError.invalid("camera", "the detection names camera '\(message.detection.cameraID.rawValue.prefix(64))', not the topic's '\(camera)'")
                    }
                    _ = try await intake.receive(message.detection, eventID: message.id, snapshot: message.snapshot)
                } catch let e as DomainError where e.kind != .corrupted && e.kind != .conflict {
                    // (a conflict is a candidate other nodes kept changing: tried again, never dropped)
                    outcome.refusal = e
                } catch { outcome.error = error }
                done.signal()
            }
            done.wait()
            if let refusal = outcome.refusal {
                Counter(label: "cityloop_mqtt_refused_total", dimensions: [("reason", "detection")]).increment()
                logger.notice("mqtt detection refused", metadata: ["camera": "\(camera)", "reason": "\(refusal.message.prefix(200))"])
                handledBox.add(messages: 1, readings: 0)
                return true
            }
            guard let error = outcome.error else {
                handledBox.add(messages: 1, readings: 0)
                return true
            }
            logger.error("mqtt detection not stored; trying again", metadata: ["camera": "\(camera)", "error": "\(error)"])
            if stopping.isSet { return false }
            Thread.sleep(forTimeInterval: wait)
            wait = min(wait * 2, 5)
        }
    }
}

/// The result a Paho thread waits for.
private final class Outcome: @unchecked Sendable {
    var error: (any Error)?
    var refusal: DomainError?
}

/// Two counts added to from any thread.
final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = (messages: 0, readings: 0)
    var value: (messages: Int, readings: Int) { lock.withLock { counts } }
    func add(messages: Int, readings: Int) { lock.withLock { counts.messages += messages; counts.readings += readings } }
}

/// A flag set once, read from any thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// A set of names changed and read from any thread.
final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var items: Set<String> = []
    var value: Set<String> { lock.withLock { items } }
    func insert(_ item: String) { lock.withLock { _ = items.insert(item) } }
    func remove(_ item: String) { lock.withLock { _ = items.remove(item) } }
}

/// A list appended to and read from any thread.
final class LockedList<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    var all: [T] { lock.withLock { items } }
    func append(_ item: T) { lock.withLock { items.append(item) } }
}
