import Foundation

// One case's facts of one day are stored as a small blob: the names it mentions once, then three bytes a fact.
// Text (or JSON) would be several times larger at a few million rows.

extension EvaluationFacts {
    /// Groups facts by day.
    public static func byDay(_ facts: [EvaluationFact]) -> [Int: [EvaluationFact]] {
        Dictionary(grouping: facts, by: \.day)
    }

    /// Encodes facts of one day: `count of names`, names as (length, UTF-8), then per fact (counter, user name
    /// index + 1 or 0, department name index + 1 or 0). Nil when the facts name more than 255 people and
    /// departments or a name longer than 255 bytes (a case's day never comes near either).
    public static func encode(_ facts: [EvaluationFact]) -> [UInt8]? {
        var names: [String] = []
        var index: [String: UInt8] = [:]
        var overflow = false
        func ref(_ s: String?) -> UInt8 {
            guard let s else { return 0 }
            if let i = index[s] { return i }
            guard names.count < 255 else {
                overflow = true
                return 0
            }
            names.append(s)
            let i = UInt8(names.count)
            index[s] = i
            return i
        }
        var body: [UInt8] = []
        body.reserveCapacity(facts.count * 3)
        for f in facts {
            body.append(UInt8(f.counter.rawValue))
            body.append(ref(f.userID?.rawValue))
            body.append(ref(f.departmentID?.rawValue))
        }
        guard !overflow else { return nil }
        var out: [UInt8] = [UInt8(names.count)]
        for n in names {
            let bytes = Array(n.utf8)
            guard bytes.count <= 255 else { return nil }
            out.append(UInt8(bytes.count))
            out.append(contentsOf: bytes)
        }
        out.append(contentsOf: body)
        return out
    }

    /// Decodes `encode`'s bytes for `day`; nil when they are malformed.
    public static func decode(_ bytes: [UInt8], day: Int) -> [EvaluationFact]? {
        guard let count = bytes.first else { return nil }
        var i = 1
        var names: [String] = []
        for _ in 0..<count {
            guard i < bytes.count else { return nil }
            let n = Int(bytes[i])
            guard i + 1 + n <= bytes.count else { return nil }
            names.append(String(decoding: bytes[(i + 1)..<(i + 1 + n)], as: UTF8.self))
            i += 1 + n
        }
        guard (bytes.count - i) % 3 == 0 else { return nil }
        var out: [EvaluationFact] = []
        while i < bytes.count {
            guard let counter = EvaluationCounter(rawValue: Int(bytes[i])) else { return nil }
            let u = Int(bytes[i + 1]), d = Int(bytes[i + 2])
            guard u <= names.count, d <= names.count else { return nil }
            out.append(
                EvaluationFact(counter, day: day, userID: u == 0 ? nil : UserID(names[u - 1]), departmentID: d == 0 ? nil : DepartmentID(names[d - 1])))
            i += 3
        }
        return out
    }
}
