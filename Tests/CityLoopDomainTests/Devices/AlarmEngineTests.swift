import CityLoopDomain
import Foundation
import Testing

/// Rules on readings: hysteresis, duration, count, rate and state; one alarm up per device and type; late and
/// repeated readings move nothing; a rule's state survives being stored and read back (a restart).
@Suite("Alarm engine")
struct AlarmEngineTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let gauge = Device(
        id: "wl-1", profileID: "waterLevel", point: GeoPoint(lat: 34.75, lon: 113.65), reportingIntervalSeconds: 60,
        attributes: ["referenceLevel": 5, "alertLevel": 1.0, "dangerLevel": 1.5], registeredAt: t0)
    static let cover = Device(id: "mc-1", profileID: "manholeCover", point: GeoPoint(lat: 34.75, lon: 113.65), reportingIntervalSeconds: 300, registeredAt: t0)

    static func rule(_ profile: DeviceProfile, _ type: String) -> AlarmRule { profile.rules.first { $0.type == type }! }

    static func number(_ device: Device, _ measurement: String, _ seconds: Double, _ v: Double) -> Reading {
        Reading(deviceID: device.id, measurement: measurement, at: t0.addingTimeInterval(seconds), value: .number(v))
    }

    /// Runs readings through a rule and keeps one device's alarms as a store would: the signals and the alarms made.
    struct Run {
        var state = RuleState()
        var alarms: [Alarm] = []
        var signals: [AlarmSignal?] = []
        var ids = 0

        mutating func feed(_ rule: AlarmRule, _ device: Device, _ reading: Reading) {
            let signal = AlarmEngine.evaluate(rule, reading: reading, device: device, state: &state)
            signals.append(signal)
            guard let signal else { return }
            let current = alarms.last
            var next = ids
            let alarm = AlarmEngine.apply(signal, rule: rule, deviceID: device.id, at: reading.at, to: current) {
                next += 1
                return "a-\(next)"
            }
            ids = next
            guard let alarm else { return }
            if alarm.id == current?.id { alarms[alarms.count - 1] = alarm } else { alarms.append(alarm) }
        }

        var raises: Int { signals.filter { if case .raise = $0 { true } else { false } }.count }
        var clears: Int { signals.filter { if case .clear = $0 { true } else { false } }.count }
    }

    @Test("a value wavering at the threshold raises once; it clears only at the clearing level")
    func hysteresis() {
        let rule = Self.rule(.manholeCover, "coverTilted")  // raise ≥ 15, clear ≤ 10
        var run = Run()
        for (i, v) in [5.0, 14, 15.5, 14.8, 16, 12, 15.2, 11, 18, 10.5].enumerated() {
            run.feed(rule, Self.cover, Self.number(Self.cover, "tiltAngle", Double(i * 60), v))
        }
        #expect(run.raises == 1 && run.clears == 0)
        #expect(run.alarms.count == 1)
        let alarm = run.alarms[0]
        #expect(alarm.active && alarm.count == 4 && alarm.peak == 18 && alarm.lastValue == 10.5 && alarm.firstValue == 15.5)
        run.feed(rule, Self.cover, Self.number(Self.cover, "tiltAngle", 900, 9.9))
        #expect(run.clears == 1 && !run.alarms[0].active && run.alarms[0].clearedAt == Self.t0.addingTimeInterval(900))
        // Up again: a new alarm, the cleared one stays as history.
        run.feed(rule, Self.cover, Self.number(Self.cover, "tiltAngle", 960, 30))
        #expect(run.alarms.count == 2 && run.alarms[1].id != run.alarms[0].id && run.alarms[1].active)
    }

    @Test("any sequence of values: raises and clears alternate, and each raise follows a value at or above the raising level",
          arguments: 0..<20)
    func alternates(seed: Int) {
        let rule = Self.rule(.manholeCover, "coverTilted")
        var rng = SystemRandomNumberGenerator()
        var run = Run()
        var values: [Double] = []
        for i in 0..<300 {
            let v = Double.random(in: 0...30, using: &rng)
            values.append(v)
            run.feed(rule, Self.cover, Self.number(Self.cover, "tiltAngle", Double(i * 10 + seed), v))
        }
        var up = false
        for (signal, v) in zip(run.signals, values) {
            switch signal {
            case .raise:
                #expect(!up && v >= 15)
                up = true
            case .clear:
                #expect(up && v <= 10)
                up = false
            case .hold: #expect(up)
            case nil: #expect(!up)
            }
        }
        #expect(run.alarms.filter(\.active).count <= 1)
        #expect(run.alarms.count == run.raises)
    }

    @Test("a reading sent again, or older than one already seen, moves nothing")
    func lateAndRepeated() {
        let rule = Self.rule(.manholeCover, "coverOpen")
        var state = RuleState()
        let open = Reading(deviceID: "mc-1", measurement: "coverState", at: Self.t0.addingTimeInterval(60), value: .state("open"))
        #expect(AlarmEngine.evaluate(rule, reading: open, device: Self.cover, state: &state) == .raise(value: nil, state: "open"))
        let kept = state
        #expect(AlarmEngine.evaluate(rule, reading: open, device: Self.cover, state: &state) == nil)
        var late = open
        late.at = Self.t0
        late.value = .state("closed")
        #expect(AlarmEngine.evaluate(rule, reading: late, device: Self.cover, state: &state) == nil)
        #expect(state == kept)
    }

    @Test("water above the device's alert level raises only after five minutes above it; the first reading below clears it")
    func sustained() {
        let rule = Self.rule(.waterLevel, "waterAboveAlert")
        var run = Run()
        // currentLevel readings every minute: above 1.0 from minute 1.
        for minute in 0...5 { run.feed(rule, Self.gauge, Self.number(Self.gauge, "currentLevel", Double(minute * 60), minute == 0 ? 0.5 : 1.2)) }
        #expect(run.raises == 0)
        run.feed(rule, Self.gauge, Self.number(Self.gauge, "currentLevel", 360, 1.3))
        #expect(run.raises == 1 && run.alarms.count == 1)
        run.feed(rule, Self.gauge, Self.number(Self.gauge, "currentLevel", 420, 0.9))
        #expect(run.clears == 1)
        // A dip resets the run: four minutes above after it are not enough.
        for minute in 8...11 { run.feed(rule, Self.gauge, Self.number(Self.gauge, "currentLevel", Double(minute * 60), 1.1)) }
        #expect(run.raises == 1)
    }

    @Test("a threshold that is an attribute the device lacks does not apply")
    func missingAttribute() {
        var device = Self.gauge
        device.attributes["dangerLevel"] = nil
        var state = RuleState()
        let reading = Self.number(device, "currentLevel", 0, 4)
        #expect(AlarmEngine.evaluate(Self.rule(.waterLevel, "waterAboveDanger"), reading: reading, device: device, state: &state) == nil)
    }

    @Test("five readings over the limit within fifteen minutes raise; spread wider they do not; fifteen quiet minutes clear")
    func repeated() {
        let rule = Self.rule(.airQuality, "dustOverLimit")
        let site = Device(id: "aq-1", profileID: "airQuality", point: GeoPoint(lat: 34.7, lon: 113.6), reportingIntervalSeconds: 60, registeredAt: Self.t0)
        var spread = Run()
        for i in 0..<10 { spread.feed(rule, site, Self.number(site, "pm10", Double(i * 240), 200)) }  // one in 4 minutes
        #expect(spread.raises == 0)
        var close = Run()
        for i in 0..<5 { close.feed(rule, site, Self.number(site, "pm10", Double(i * 120), i == 2 ? 100 : 200)) }
        #expect(close.raises == 0)  // four over, one under
        close.feed(rule, site, Self.number(site, "pm10", 600, 220))
        #expect(close.raises == 1)
        close.feed(rule, site, Self.number(site, "pm10", 1200, 80))
        #expect(close.clears == 0)  // hits still in the window
        close.feed(rule, site, Self.number(site, "pm10", 1600, 80))
        #expect(close.clears == 1)
    }

    @Test("a fast rise raises, a steady level clears, a fast fall does not raise a rising rule")
    func rate() {
        let rule = Self.rule(.waterLevel, "waterRisingFast")  // 0.05 m a minute
        var run = Run()
        for (i, v) in [0.1, 0.12, 0.3, 0.5, 0.52].enumerated() { run.feed(rule, Self.gauge, Self.number(Self.gauge, "currentLevel", Double(i * 60), v)) }
        #expect(run.signals.map { $0 == nil } == [true, true, false, false, false])
        #expect(run.raises == 1 && run.clears == 1 && run.alarms[0].count == 2)
        run.feed(rule, Self.gauge, Self.number(Self.gauge, "currentLevel", 300, 0.1))
        #expect(run.raises == 1)
    }

    @Test("a cover open again and again is one alarm counting them; closed clears it")
    func stateRule() {
        let rule = Self.rule(.manholeCover, "coverOpen")
        var run = Run()
        for (i, s) in ["closed", "open", "open", "open", "closed"].enumerated() {
            run.feed(rule, Self.cover, Reading(deviceID: "mc-1", measurement: "coverState", at: Self.t0.addingTimeInterval(Double(i * 30)), value: .state(s)))
        }
        #expect(run.alarms.count == 1 && run.alarms[0].count == 3 && !run.alarms[0].active && run.alarms[0].state == "open")
    }

    @Test("a rule's state stored and read back mid-way (a restart) gives the same alarms as one run")
    func survivesRestart() throws {
        let rule = Self.rule(.waterLevel, "waterAboveAlert")
        let readings = (0...10).map { Self.number(Self.gauge, "currentLevel", Double($0 * 60), $0 < 2 ? 0.5 : 1.4) }
        var whole = Run()
        for r in readings { whole.feed(rule, Self.gauge, r) }
        var first = Run()
        for r in readings.prefix(5) { first.feed(rule, Self.gauge, r) }
        var second = first
        second.state = try JSONDecoder().decode(RuleState.self, from: JSONEncoder().encode(first.state))
        for r in readings.dropFirst(5) { second.feed(rule, Self.gauge, r) }
        #expect(second.alarms == whole.alarms && second.signals == whole.signals)
        #expect(whole.raises == 1)
    }

    @Test("a device silent for three reporting intervals is offline, counted from its registration when it never reported")
    func offline() {
        let d = Self.cover  // every 300 s
        #expect(!AlarmEngine.isOffline(d, lastSeen: nil, now: Self.t0.addingTimeInterval(900)))
        #expect(AlarmEngine.isOffline(d, lastSeen: nil, now: Self.t0.addingTimeInterval(901)))
        #expect(!AlarmEngine.isOffline(d, lastSeen: Self.t0.addingTimeInterval(800), now: Self.t0.addingTimeInterval(1600)))
        #expect(AlarmEngine.isOffline(d, lastSeen: Self.t0.addingTimeInterval(800), now: Self.t0.addingTimeInterval(1800)))
    }

    @Test("a device's own rule replaces its profile's of the same type; severities rank critical first")
    func deviceRules() {
        var d = Self.cover
        d.rules = [AlarmRule(type: "coverTilted", labelZh: "倾斜", labelEn: "Tilted", measurement: "tiltAngle", severity: .critical, condition: .above(raise: .value(5), clear: .value(3)))]
        let rules = d.rules(with: .manholeCover)
        #expect(rules.map(\.type).sorted() == ["coverOpen", "coverTilted"])
        #expect(rules.first { $0.type == "coverTilted" }?.severity == .critical)
        #expect(AlarmSeverity.allCases.sorted(by: >) == [.critical, .major, .minor, .warning])
    }
}
