@testable import CityLoopDomain
import Foundation
import Testing

@Suite("JT/T 808 BCD and time")
struct JT808BCDTests {
    @Test("phone numbers pack left-padded and unpack with leading zeros")
    func phoneNumbers() throws {
        #expect(try JT808BCD.pack("13912345678", byteCount: 6, field: "p") == [0x01, 0x39, 0x12, 0x34, 0x56, 0x78])
        #expect(try JT808BCD.pack("", byteCount: 2, field: "p") == [0, 0])
        #expect(try JT808BCD.digits(from: [0x01, 0x39, 0x12, 0x34, 0x56, 0x78], field: "p") == "013912345678")
        #expect(try JT808BCD.digits(from: [UInt8](), field: "p") == "")
        #expect(throws: JT808Error.invalidBCD(field: "p")) { try JT808BCD.digits(from: [0x12, 0xF0], field: "p") }
        #expect(throws: JT808Error.invalidBCD(field: "p")) { try JT808BCD.pack("12a", byteCount: 6, field: "p") }
        #expect(throws: JT808Error.invalidBCD(field: "p")) { try JT808BCD.pack("١٢", byteCount: 6, field: "p") }
        #expect(throws: JT808Error.fieldTooLong(field: "p", maximum: 4)) { try JT808BCD.pack("12345", byteCount: 2, field: "p") }
    }

    @Test("single BCD bytes")
    func bytes() throws {
        #expect(try JT808BCD.value(of: 0x59, field: "t") == 59)
        #expect(throws: JT808Error.invalidBCD(field: "t")) { try JT808BCD.value(of: 0xA0, field: "t") }
        #expect(JT808BCD.byte(for: 7) == 0x07)
        #expect(JT808BCD.byte(for: 99) == 0x99)
    }

    @Test("timestamps encode as YYMMDDhhmmss and convert from GMT+8")
    func timestamp() throws {
        let time = try JT808Samples.sampleTime()
        #expect(time.bcd == [0x26, 0x12, 0x06, 0x08, 0x30, 0x00])
        #expect(try JT808Timestamp.decode(bcd: time.bcd) == time)
        #expect(time.date == Date(timeIntervalSince1970: 1_796_517_000))
        #expect(try JT808Timestamp(date: Date(timeIntervalSince1970: 1_796_517_000.9)) == time)
        #expect(try JT808Timestamp(year: 2026, month: 12, day: 6, hour: 8, minute: 29, second: 59) < time)
    }

    @Test("conversion agrees with Foundation's calendar across the whole range")
    func matchesCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(secondsFromGMT: 8 * 3600))
        var components = DateComponents()
        // Every 7 days and 1 hour from 2000 to 2099 hits all weekdays, months, leap days and many hours.
        var time = try JT808Timestamp(year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        while time.year < 2099 || time.month < 12 {
            components.year = time.year
            components.month = time.month
            components.day = time.day
            components.hour = time.hour
            components.minute = time.minute
            components.second = time.second
            #expect(calendar.date(from: components) == time.date)
            #expect(try JT808Timestamp(date: time.date) == time)
            time = try JT808Timestamp(date: time.date.addingTimeInterval(7 * 86_400 + 3_601))
        }
    }

    @Test("the supported range is 2000–2099 GMT+8")
    func range() throws {
        let first = try JT808Timestamp(date: Date(timeIntervalSince1970: 946_656_000))
        #expect(first == (try JT808Timestamp(year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0)))
        #expect(throws: JT808Error.invalidTime) { try JT808Timestamp(date: Date(timeIntervalSince1970: 946_655_999)) }
        let last = try JT808Timestamp(year: 2099, month: 12, day: 31, hour: 23, minute: 59, second: 59)
        #expect(try JT808Timestamp(date: last.date) == last)
        #expect(throws: JT808Error.invalidTime) { try JT808Timestamp(date: last.date.addingTimeInterval(1)) }
        for date in [Date.distantPast, Date.distantFuture, Date(timeIntervalSince1970: .nan), Date(timeIntervalSince1970: .infinity)] {
            #expect(throws: JT808Error.invalidTime) { try JT808Timestamp(date: date) }
        }
    }

    @Test("impossible components are rejected")
    func invalidComponents() {
        let cases: [(Int, Int, Int, Int, Int, Int)] = [
            (1999, 12, 31, 0, 0, 0), (2100, 1, 1, 0, 0, 0), (2026, 0, 1, 0, 0, 0), (2026, 2, 29, 0, 0, 0),
            (2100 - 1, 4, 31, 0, 0, 0), (2026, 1, 0, 0, 0, 0), (2026, 1, 1, -1, 0, 0), (2026, 1, 1, 0, 0, 60),
        ]
        for (year, month, day, hour, minute, second) in cases {
            #expect(throws: JT808Error.invalidTime) {
                try JT808Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            }
        }
        #expect(throws: Never.self) { try JT808Timestamp(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0) }
    }
}
