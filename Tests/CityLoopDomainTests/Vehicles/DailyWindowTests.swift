@testable import CityLoopDomain
import Foundation
import Testing

@Suite("Daily windows")
struct DailyWindowTests {
    typealias F = VehicleFixtures

    @Test("a night window crosses midnight: 22:00 in, 05:59 in, 06:00 out, noon out")
    func crossesMidnight() throws {
        let night = try DailyWindow("22:00-06:00")
        #expect(night.description == "22:00-06:00")
        #expect(night.contains(F.local(22), utcOffsetSeconds: 8 * 3600))
        #expect(night.contains(F.local(23, 59, 59), utcOffsetSeconds: 8 * 3600))
        #expect(night.contains(F.local(0), utcOffsetSeconds: 8 * 3600))
        #expect(night.contains(F.local(5, 59, 59), utcOffsetSeconds: 8 * 3600))
        #expect(!night.contains(F.local(6), utcOffsetSeconds: 8 * 3600))
        #expect(!night.contains(F.local(12), utcOffsetSeconds: 8 * 3600))
        #expect(!night.contains(F.local(21, 59, 59), utcOffsetSeconds: 8 * 3600))
    }

    @Test("a day window holds from its start to just before its end; 00:00-24:00 is all day")
    func dayWindow() throws {
        let day = try DailyWindow("07:00-19:30")
        #expect(day.contains(F.local(7), utcOffsetSeconds: 8 * 3600))
        #expect(day.contains(F.local(19, 29, 59), utcOffsetSeconds: 8 * 3600))
        #expect(!day.contains(F.local(19, 30), utcOffsetSeconds: 8 * 3600))
        let all = try DailyWindow("00:00-24:00")
        #expect((0..<24).allSatisfy { all.contains(F.local($0, 30), utcOffsetSeconds: 8 * 3600) })
    }

    @Test("the local clock follows the UTC offset")
    func offsets() throws {
        // 1 May 00:00 in UTC+8 is 30 April 16:00 UTC.
        #expect(DailyWindow.secondOfDay(F.midnight, utcOffsetSeconds: 8 * 3600) == 0)
        #expect(DailyWindow.secondOfDay(F.midnight, utcOffsetSeconds: 0) == 16 * 3600)
        #expect(DailyWindow.secondOfDay(Date(timeIntervalSince1970: -1), utcOffsetSeconds: 0) == 86_399)
        let night = try DailyWindow("22:00-06:00")
        #expect(!night.contains(F.local(23), utcOffsetSeconds: 0))
    }

    @Test("no windows, or an empty list, means all day")
    func covers() throws {
        #expect(DailyWindow.covers(nil, F.local(3), utcOffsetSeconds: 8 * 3600))
        #expect(DailyWindow.covers([], F.local(3), utcOffsetSeconds: 8 * 3600))
        let windows = [try DailyWindow("07:00-09:00"), try DailyWindow("17:00-19:00")]
        #expect(DailyWindow.covers(windows, F.local(18), utcOffsetSeconds: 8 * 3600))
        #expect(!DailyWindow.covers(windows, F.local(12), utcOffsetSeconds: 8 * 3600))
    }

    @Test("malformed or empty windows are refused", arguments: ["25:00-01:00", "10:00-10:00", "1000-1100", "7:00-09:00", "10:60-11:00", "24:30-01:00", "", "22:00"])
    func refused(text: String) {
        #expect(throws: DomainError.self) { try DailyWindow(text) }
    }

    @Test("a window is stored as its text and read back; bad text does not decode")
    func coding() throws {
        let windows = [try DailyWindow("22:00-06:00"), try DailyWindow(startMinute: 0, endMinute: 1440)]
        let json = try JSONEncoder().encode(windows)
        #expect(String(decoding: json, as: UTF8.self) == #"["22:00-06:00","00:00-24:00"]"#)
        #expect(try JSONDecoder().decode([DailyWindow].self, from: json) == windows)
        // A decoding error at the value's place, carrying the window's own error.
        do {
            _ = try JSONDecoder().decode([DailyWindow].self, from: Data(#"["22:00-06:00", "06:00-06:00"]"#.utf8))
            Issue.record("a window that starts where it ends decoded")
        } catch let DecodingError.dataCorrupted(ctx) {
            #expect(ctx.codingPath.map(\.intValue) == [1])
            #expect((ctx.underlyingError as? DomainError)?.code == "hours.invalid")
        }
    }
}
