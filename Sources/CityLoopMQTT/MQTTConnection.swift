import CPahoMQTT
import Foundation

/// An MQTT error: the Paho client's return code and what it means.
public struct MQTTError: Error, CustomStringConvertible {
    public var code: Int32
    public var operation: String
    public var description: String {
        let text = MQTTClient_strerror(code).map { String(cString: $0) } ?? "code \(code)"
        return "MQTT \(operation) failed: \(text) (\(code))"
    }
}

/// One connection to an MQTT broker through the Eclipse Paho C client (synchronous API, MQTT 3.1.1). Messages
/// arrive on the client's own thread, one at a time: `onMessage` returns only when the message is safely handled,
/// and only then does the client acknowledge it to the broker (QoS 1): a message not yet stored is never
/// acknowledged. Paho's calls block (a connect waits for the broker's answer, a subscribe for its acknowledgement):
/// they run on a thread of the connection's own, never on Swift's shared pool, whose few threads the handler of a
/// message arriving meanwhile needs to store it.
public final class MQTTConnection: @unchecked Sendable {
    /// What to do with a message: return true when it is handled (then acknowledged), false to have it again.
    public typealias MessageHandler = @Sendable (_ topic: String, _ payload: Data) -> Bool

    private var handle: MQTTClient?
    private let queue: DispatchQueue
    private let onMessage: MessageHandler?
    private let onLost: (@Sendable (String) -> Void)?
    public let url: String
    public let clientID: String
    private let username: String?
    private let password: String?
    private let cleanSession: Bool

    /// Creates a connection (not yet connected). `cleanSession: false` keeps the session, its subscriptions and its
    /// unacknowledged QoS 1 messages on the broker across disconnects.
    public init(
        url: String, clientID: String, username: String? = nil, password: String? = nil, cleanSession: Bool = true,
        onMessage: MessageHandler? = nil, onLost: (@Sendable (String) -> Void)? = nil
    ) throws {
        self.url = Self.pahoURL(url)
        self.clientID = clientID
        self.username = username
        self.password = password
        self.cleanSession = cleanSession
        self.onMessage = onMessage
        self.onLost = onLost
        queue = DispatchQueue(label: "cityloop.mqtt.\(clientID)")
        var h: MQTTClient?
        let rc = MQTTClient_create(&h, self.url, clientID, MQTTCLIENT_PERSISTENCE_NONE, nil)
        guard rc == MQTTCLIENT_SUCCESS, let h else { throw MQTTError(code: rc, operation: "create") }
        handle = h
        let context = Unmanaged.passUnretained(self).toOpaque()
        let set = MQTTClient_setCallbacks(h, context, { context, cause in
            guard let context else { return }
            let me = Unmanaged<MQTTConnection>.fromOpaque(context).takeUnretainedValue()
            me.onLost?(cause.map { String(cString: $0) } ?? "connection lost")
        }, { context, topicName, topicLen, message in
            guard let context, let topicName, let message else { return 1 }
            let me = Unmanaged<MQTTConnection>.fromOpaque(context).takeUnretainedValue()
            let topic = topicLen > 0
                ? String(decoding: UnsafeRawBufferPointer(start: topicName, count: Int(topicLen)), as: UTF8.self)
                : String(cString: topicName)
            let length = Int(message.pointee.payloadlen)
            let payload = length > 0 && message.pointee.payload != nil ? Data(bytes: message.pointee.payload, count: length) : Data()
            guard me.onMessage?(topic, payload) ?? true else { return 0 }
            var m: UnsafeMutablePointer<MQTTClient_message>? = message
            MQTTClient_freeMessage(&m)
            MQTTClient_free(topicName)
            return 1
        }, nil)
        guard set == MQTTCLIENT_SUCCESS else { throw MQTTError(code: set, operation: "set callbacks") }
    }

    deinit {
        if let h = handle {
            if MQTTClient_isConnected(h) != 0 { MQTTClient_disconnect(h, 1000) }
            var owned: MQTTClient? = h
            MQTTClient_destroy(&owned)
        }
    }

    /// Paho wants `tcp://host:port`; `mqtt://` is the usual spelling.
    static func pahoURL(_ url: String) -> String {
        url.hasPrefix("mqtt://") ? "tcp://" + url.dropFirst(7) : url
    }

    /// Runs a blocking call on the connection's own thread.
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in queue.async { c.resume(with: Result { try body() }) } }
    }

    /// Connects (in at most `timeout` seconds).
    public func connect(timeout: Int32 = 10, keepAlive: Int32 = 20) async throws {
        try await blocking { try self.connectNow(timeout: timeout, keepAlive: keepAlive) }
    }

    /// Subscribes to a topic filter.
    public func subscribe(_ filter: String, qos: Int32 = 1) async throws {
        try await blocking { try self.subscribeNow(filter, qos: qos) }
    }

    /// Publishes a message; with `wait` it returns when the broker acknowledged it (QoS 1).
    public func publish(_ topic: String, _ payload: Data, qos: Int32 = 1, wait: Bool = false) async throws {
        try await blocking { try self.publishNow(topic, payload, qos: qos, wait: wait) }
    }

    /// Disconnects, giving in-flight work up to `timeout` milliseconds.
    public func disconnect(timeout: Int32 = 2000) async {
        _ = try? await blocking { self.disconnectNow(timeout: timeout) }
    }

    private func connectNow(timeout: Int32, keepAlive: Int32) throws {
        guard let h = handle else { return }
        var o = cityloop_mqtt_connect_options()
        o.cleansession = cleanSession ? 1 : 0
        o.keepAliveInterval = keepAlive
        o.connectTimeout = timeout
        o.maxInflightMessages = 65535
        let rc = username.withOptionalCString { user in
            password.withOptionalCString { pass in
                o.username = user
                o.password = pass
                return MQTTClient_connect(h, &o)
            }
        }
        guard rc == MQTTCLIENT_SUCCESS else { throw MQTTError(code: rc, operation: "connect to \(url)") }
    }

    /// Whether the connection is up.
    public var isConnected: Bool { handle.map { MQTTClient_isConnected($0) != 0 } ?? false }

    private func subscribeNow(_ filter: String, qos: Int32) throws {
        guard let h = handle else { return }
        let rc = MQTTClient_subscribe(h, filter, qos)
        guard rc == MQTTCLIENT_SUCCESS else { throw MQTTError(code: rc, operation: "subscribe to \(filter)") }
    }

    private func publishNow(_ topic: String, _ payload: Data, qos: Int32, wait: Bool) throws {
        guard let h = handle else { return }
        var token: MQTTClient_deliveryToken = 0
        let rc = payload.withUnsafeBytes { bytes in
            MQTTClient_publish(h, topic, Int32(bytes.count), bytes.baseAddress, qos, 0, &token)
        }
        guard rc == MQTTCLIENT_SUCCESS else { throw MQTTError(code: rc, operation: "publish to \(topic)") }
        if wait {
            let done = MQTTClient_waitForCompletion(h, token, 30_000)
            guard done == MQTTCLIENT_SUCCESS else { throw MQTTError(code: done, operation: "wait for \(topic)") }
        }
    }

    private func disconnectNow(timeout: Int32) {
        guard let h = handle, MQTTClient_isConnected(h) != 0 else { return }
        MQTTClient_disconnect(h, timeout)
    }
}

extension Optional where Wrapped == String {
    /// Calls `body` with a C string of the value, or nil.
    func withOptionalCString<T>(_ body: (UnsafePointer<CChar>?) -> T) -> T {
        switch self {
        case .some(let s): s.withCString { body($0) }
        case .none: body(nil)
        }
    }
}
