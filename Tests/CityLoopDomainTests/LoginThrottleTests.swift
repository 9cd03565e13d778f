import CityLoopDomain
import Foundation
import Testing

@Suite struct LoginThrottleTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func attempts(_ outcomes: [LoginAttempt.Outcome], every seconds: TimeInterval = 1) -> [LoginAttempt] {
        outcomes.enumerated().map { i, o in LoginAttempt(at: t0 + Double(i) * seconds, username: "admin", address: "10.0.0.1", outcome: o) }
    }

    @Test func fiveFailuresLockTheAccountForAMinute() {
        let throttle = LoginThrottle()
        let four = attempts(Array(repeating: .failure, count: 4))
        #expect(throttle.retryAfter(account: four, address: [], now: t0 + 5) == nil)
        let five = attempts(Array(repeating: .failure, count: 5))
        // The fifth failure was at t0+4; the lock ends a minute later.
        #expect(throttle.retryAfter(account: five, address: [], now: t0 + 5) == 59)
        #expect(throttle.retryAfter(account: five, address: [], now: t0 + 64) == nil)
    }

    @Test func eachFurtherFailureDoublesTheLockUpToTheCap() {
        let throttle = LoginThrottle()
        let six = attempts(Array(repeating: .failure, count: 6))
        #expect(throttle.retryAfter(account: six, address: [], now: t0 + 5) == 120)
        let eight = attempts(Array(repeating: .failure, count: 8))
        #expect(throttle.retryAfter(account: eight, address: [], now: t0 + 7) == 480)
        let many = attempts(Array(repeating: .failure, count: 30))
        #expect(throttle.retryAfter(account: many, address: [], now: t0 + 29) == 900)
    }

    @Test func aSuccessClearsTheAccountButNotTheAddress() {
        let throttle = LoginThrottle()
        let account = attempts(Array(repeating: .failure, count: 4) + [.success] + Array(repeating: .failure, count: 4))
        #expect(throttle.retryAfter(account: account, address: [], now: t0 + 9) == nil)
        let address = attempts(Array(repeating: .failure, count: 10) + [.success] + Array(repeating: .failure, count: 10))
        #expect(throttle.retryAfter(account: [], address: address, now: t0 + 21) == 59)
    }

    @Test func lockedAttemptsDoNotExtendTheLock() {
        let throttle = LoginThrottle()
        let list = attempts(Array(repeating: .failure, count: 5) + Array(repeating: .locked, count: 20))
        #expect(throttle.retryAfter(account: list, address: [], now: t0 + 24) == 40)
    }
}
