import Foundation

/// A named, addressed point from the city's own place table (地名地址库).
public struct Place: Hashable, Codable, Sendable {
    /// The place name, e.g. `紫荆山公园`; may be empty when the row only has an address.
    public var name: String
    /// The street address, e.g. `文化路12号`; may be empty when the row only has a name.
    public var address: String
    /// Where the place is.
    public var point: GeoPoint

    /// Creates a place.
    public init(name: String, address: String, point: GeoPoint) {
        self.name = name
        self.address = address
        self.point = point
    }
}

extension Place {
    /// The header names accepted for each column (compared lower-cased and trimmed).
    static let columnAliases: [(column: String, aliases: [String])] = [
        ("name", ["name", "名称", "地名"]),
        ("address", ["address", "地址"]),
        ("lat", ["lat", "latitude", "纬度"]),
        ("lon", ["lon", "lng", "longitude", "经度"]),
    ]

    /// Parses a place table as CSV with a header naming the columns `name,address,lat,lon`, in any order
    /// (extra columns are ignored; `名称`/`地址`/`纬度`/`经度`, `latitude`/`longitude`/`lng` are accepted too).
    ///
    /// Handles RFC 4180 quoting (commas, doubled quotes and line breaks inside quotes), a UTF-8 byte-order
    /// mark and CRLF line ends; blank lines are skipped. A row with neither name nor address, or with a
    /// missing, non-numeric or out-of-range coordinate, is returned in `rejected` with its 1-based line
    /// number (the line the row starts on; the header is line 1) instead of failing the whole table.
    /// - Throws: `DomainError.invalid("csv", …)` when the header lacks `lat`, `lon`, or both `name` and `address`.
    public static func parseCSV(_ text: String) throws -> (places: [Place], rejected: [(line: Int, reason: String)]) {
        let records = CSVReader.records(text).drop { $0.error == nil && $0.fields.allSatisfy(\.isEmpty) }
        guard let header = records.first, header.error == nil else {
            throw DomainError.invalid("csv", "the place table needs a header line naming name,address,lat,lon")
        }
        var position: [String: Int] = [:]
        for (i, raw) in header.fields.enumerated() {
            let key = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            for (column, aliases) in columnAliases where aliases.contains(key) && position[column] == nil {
                position[column] = i
            }
        }
        let missing = ["lat", "lon"].filter { position[$0] == nil }
        guard missing.isEmpty else {
            throw DomainError.invalid("csv", "the header has no \(missing.joined(separator: " or ")) column")
        }
        guard position["name"] != nil || position["address"] != nil else {
            throw DomainError.invalid("csv", "the header has neither a name nor an address column")
        }
        var places: [Place] = []
        var rejected: [(line: Int, reason: String)] = []
        for record in records.dropFirst() {
            if let error = record.error {
                rejected.append((record.line, error))
                continue
            }
            if record.fields.allSatisfy(\.isEmpty) { continue }
            func field(_ column: String) -> String {
                guard let i = position[column], i < record.fields.count else { return "" }
                return record.fields[i]
            }
            let name = field("name"), address = field("address")
            guard !name.isEmpty || !address.isEmpty else {
                rejected.append((record.line, "the row has neither a name nor an address"))
                continue
            }
            var coordinates: [Double] = []
            var problem: String?
            for column in ["lat", "lon"] {
                let value = field(column)
                if value.isEmpty {
                    problem = "\(column) is missing"
                } else if let d = Double(value) {
                    coordinates.append(d)
                } else {
                    problem = "\(column) '\(value)' is not a number"
                }
                if problem != nil { break }
            }
            if let problem {
                rejected.append((record.line, problem))
                continue
            }
            let point = GeoPoint(lat: coordinates[0], lon: coordinates[1])
            guard point.isValid else {
                rejected.append((record.line, "coordinates \(coordinates[0]),\(coordinates[1]) are out of range"))
                continue
            }
            places.append(Place(name: name, address: address, point: point))
        }
        return (places, rejected)
    }
}

/// A minimal RFC 4180 reader working on Unicode scalars, so that CRLF is two separators rather than one Character.
enum CSVReader {
    struct Record {
        var line: Int
        var fields: [String]
        var error: String?
    }

    static func records(_ text: String) -> [Record] {
        let s = Array(text.unicodeScalars)
        var out: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var line = 1, recordLine = 1
        var i = s.first == "\u{FEFF}" ? 1 : 0

        func finishField() {
            fields.append(String(field).trimmingCharacters(in: .whitespaces))
            field = String.UnicodeScalarView()
        }
        while i < s.count {
            let c = s[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < s.count, s[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || (c == "\r" && !(i + 1 < s.count && s[i + 1] == "\n")) { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"" where String(field).allSatisfy(\.isWhitespace):
                field = String.UnicodeScalarView()
                inQuotes = true
            case ",":
                finishField()
            case "\r", "\n":
                finishField()
                out.append(Record(line: recordLine, fields: fields))
                fields = []
                if c == "\r", i + 1 < s.count, s[i + 1] == "\n" { i += 1 }
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            out.append(Record(line: recordLine, fields: [], error: "a quoted field is not closed before the end of the file"))
        } else if !fields.isEmpty || !field.isEmpty {
            finishField()
            out.append(Record(line: recordLine, fields: fields))
        }
        return out
    }
}

/// A place found for a query, with how well it matched.
public struct PlaceMatch: Hashable, Sendable {
    /// The place.
    public var place: Place
    /// Match quality in `0...1`; 1 is an exact match after normalisation.
    public var score: Double

    /// Creates a match.
    public init(place: Place, score: Double) {
        self.place = place
        self.score = score
    }
}

/// Geocodes free-text Chinese addresses and place names against the city's place table (地名地址库).
///
/// Both the query and every place's name and address are normalised (full-width to half-width, Latin
/// lower-cased, whitespace and punctuation dropped, a few traditional characters folded, Chinese numerals
/// in house numbers turned into digits), a leading province/city/district prefix is split off, and the
/// house number (`12号`) is taken apart from the rest. The rest is compared by character bigram and
/// skip-bigram Dice similarity, containment and a bounded edit distance; the house numbers and the
/// administrative prefixes then raise or lower that score. An inverted index from grams to texts keeps
/// queries fast on 100,000 places. Immutable and `Sendable`: build once, share between tasks.
public struct PlaceIndex: Sendable {
    /// The lowest score at which `resolve` accepts the best match.
    public static let confidentScore = 0.6
    /// How far the best match must be ahead of the best match at a different point for `resolve` to accept it.
    public static let confidentMargin = 0.1
    /// Matches whose points are at most this many metres apart count as the same point in `resolve`.
    public static let samePointMetres = 50.0
    /// Matches scoring below this are not listed by `match`.
    public static let minimumScore = 0.3
    /// At most this many texts, ranked by shared gram weight, are scored per query.
    static let candidateCap = 256

    /// The places, in the order given.
    public let places: [Place]
    // Texts (each place's name, address, and both together) are stored flat, so that scoring a query
    // touches no per-text heap objects.
    /// Text `t` belongs to place `textPlace[t]`; a place's texts have adjacent ids.
    private let textPlace: [Int32]
    /// `textStart[p]..<textStart[p + 1]` are the texts of place `p`.
    private let textStart: [Int32]
    /// `bodies[bodyStart[t]..<bodyStart[t + 1]]` is the body of text `t`.
    private let bodies: [UInt32]
    private let bodyStart: [Int32]
    /// `grams[gramStart[t]..<gramStart[t + 1]]` are the sorted body grams of text `t`.
    private let grams: [UInt64]
    private let gramStart: [Int32]
    /// The house-number key of each text, 0 when it has none.
    private let numbers: [UInt64]
    /// The index into `adminSets` of each text's prefix, -1 when it has none.
    private let adminOf: [Int32]
    private let adminSets: [[AdminSegment]]
    /// Sum of the gram weights of each text, for ranking candidates by weighted Dice.
    private let textNorm: [Float]
    private let postings: [UInt64: [Int32]]
    /// The number of texts in `postings` (names and addresses, not their combinations).
    private let indexedTexts: Int

    /// Builds the index over `places`.
    public init(_ places: [Place]) {
        self.places = places
        var textPlace: [Int32] = [], textStart: [Int32] = [0]
        var bodies: [UInt32] = [], bodyStart: [Int32] = [0]
        var grams: [UInt64] = [], gramStart: [Int32] = [0]
        var numbers: [UInt64] = [], adminOf: [Int32] = []
        var adminSets: [[AdminSegment]] = [], adminID: [[AdminSegment]: Int32] = [:]
        var postings: [UInt64: [Int32]] = [:]
        textPlace.reserveCapacity(places.count * 2)
        var indexed = 0
        for (p, place) in places.enumerated() {
            let name = PreparedText(place.name)
            let address = PreparedText(place.address)
            var own = [name, address].filter { !$0.isEmpty }
            if own.count == 2, name == address { own.removeLast() }
            if own.count == 2 {
                // Reports often give both, `百花南路152号万科红旗小区`: the two together are scored too, but
                // not indexed, as their grams are (nearly all) those of the parts.
                own.append(PreparedText(place.address + place.name))
            }
            for (k, text) in own.enumerated() {
                let t = Int32(textPlace.count)
                textPlace.append(Int32(p))
                bodies.append(contentsOf: text.body)
                bodyStart.append(Int32(bodies.count))
                grams.append(contentsOf: text.grams)
                gramStart.append(Int32(grams.count))
                numbers.append(text.number)
                if text.admin.isEmpty {
                    adminOf.append(-1)
                } else if let id = adminID[text.admin] {
                    adminOf.append(id)
                } else {
                    adminID[text.admin] = Int32(adminSets.count)
                    adminOf.append(Int32(adminSets.count))
                    adminSets.append(text.admin)
                }
                if k < 2 {
                    indexed += 1
                    for g in text.indexGrams { postings[g, default: []].append(t) }
                }
            }
            textStart.append(Int32(textPlace.count))
        }
        var norm = [Float](repeating: 0, count: textPlace.count)
        for list in postings.values {
            let w = Self.weight(documentFrequency: list.count, total: indexed)
            for t in list { norm[Int(t)] += w }
        }
        self.textPlace = textPlace
        self.textStart = textStart
        self.bodies = bodies
        self.bodyStart = bodyStart
        self.grams = grams
        self.gramStart = gramStart
        self.numbers = numbers
        self.adminOf = adminOf
        self.adminSets = adminSets
        self.textNorm = norm
        self.postings = postings
        self.indexedTexts = indexed
    }

    /// The number of places in the index.
    public var count: Int { places.count }

    /// The text as the index compares it: half-width, lower-case, without whitespace or punctuation,
    /// with Chinese-numeral house numbers in digits (e.g. `文化路 一百二十三號` → `文化路123号`).
    public static func normalized(_ text: String) -> String {
        var s = String.UnicodeScalarView()
        for v in TextNormalizer.normalize(text) { if let u = Unicode.Scalar(v) { s.append(u) } }
        return String(s)
    }

    /// The places best matching `query`, best first (ties in table order), at most `limit`, each scoring at
    /// least `minimumScore`. Empty when nothing in the table resembles the query.
    public func match(_ query: String, limit: Int = 5) -> [PlaceMatch] {
        guard limit > 0 else { return [] }
        return scored(query).prefix(limit).map { PlaceMatch(place: places[$0.place], score: $0.score) }
    }

    /// The best match for `query` when it is unambiguous: it scores at least `confidentScore`, and every
    /// match more than `samePointMetres` away from it scores at least `confidentMargin` less. Otherwise nil,
    /// so the caller can ask the reporter to pick from `match` or to place a pin.
    public func resolve(_ query: String) -> PlaceMatch? {
        let all = scored(query)
        guard let best = all.first, best.score >= Self.confidentScore else { return nil }
        let point = places[best.place].point
        if let rival = all.dropFirst().first(where: { places[$0.place].point.distance(to: point) > Self.samePointMetres }),
            best.score - rival.score < Self.confidentMargin - 1e-9
        {
            return nil
        }
        return PlaceMatch(place: places[best.place], score: best.score)
    }

    // MARK: - Scoring

    private static func weight(documentFrequency df: Int, total: Int) -> Float {
        log(1 + Float(total) / Float(max(df, 1)))
    }

    /// Every candidate place scoring at least `minimumScore`, best first.
    private func scored(_ query: String) -> [(place: Int, score: Double)] {
        let q = PreparedText(query)
        guard !q.isEmpty, !textPlace.isEmpty else { return [] }
        // A query with a prefix is also scored unstripped, in case the prefix was really part of a name.
        let full = q.unstripped
        let queryGrams = full.map { Array(Set(q.indexGrams).union($0.indexGrams)) } ?? q.indexGrams
        let candidates = candidateTexts(queryGrams)
        guard !candidates.isEmpty else { return [] }
        // Which stored prefixes contradict the query's; most tables have only a handful of distinct ones.
        let conflicting = q.admin.isEmpty ? [] : adminSets.map { AdminSegment.conflict(q.admin, $0) }

        var results: [(place: Int, score: Double)] = []
        func score(_ queries: [TextView]) {
            bodies.withUnsafeBufferPointer { bodies in
                grams.withUnsafeBufferPointer { grams in
                    var previous: Int32 = -1
                    for t in candidates {
                        let p = textPlace[Int(t)]
                        guard p != previous else { continue }
                        previous = p
                        var best = 0.0
                        for i in Int(textStart[Int(p)])..<Int(textStart[Int(p) + 1]) {
                            let text = (
                                body: UnsafeBufferPointer(rebasing: bodies[Int(bodyStart[i])..<Int(bodyStart[i + 1])]),
                                grams: UnsafeBufferPointer(rebasing: grams[Int(gramStart[i])..<Int(gramStart[i + 1])]),
                                number: numbers[i])
                            let conflict = !conflicting.isEmpty && adminOf[i] >= 0 && conflicting[Int(adminOf[i])]
                            for query in queries {
                                best = max(best, Self.similarity(query: query, text: text, conflict: conflict))
                            }
                        }
                        if best >= Self.minimumScore { results.append((Int(p), min(1, best))) }
                    }
                }
            }
        }
        q.withView { stripped in
            if let full {
                full.withView { score([stripped, $0]) }
            } else {
                score([stripped])
            }
        }
        results.sort { $0.score != $1.score ? $0.score > $1.score : $0.place < $1.place }
        return results
    }

    /// The ids of the texts worth scoring, at most `candidateCap`, ranked by IDF-weighted Dice over the
    /// shared grams and returned in id order (so a place's texts are adjacent).
    private func candidateTexts(_ queryGrams: [UInt64]) -> [Int32] {
        let total = indexedTexts
        var lists: [(weight: Float, ids: [Int32])] = []
        var queryNorm: Float = 0
        for g in queryGrams {
            if let ids = postings[g] {
                let w = Self.weight(documentFrequency: ids.count, total: total)
                lists.append((w, ids))
                queryNorm += w
            } else {
                queryNorm += Self.weight(documentFrequency: 1, total: total)
            }
        }
        guard !lists.isEmpty else { return [] }
        lists.sort { $0.ids.count < $1.ids.count }

        // Rarer grams seed the candidates until the budget is spent (the rarest two always do); commoner
        // ones then only add weight, and grams in a large share of the table are left out: they say little.
        // Posting lists are sorted by text id, so all of this is merging sorted lists.
        let commonCap = max(2_000, total / 10)
        let seedBudget = 4 * Self.candidateCap
        var ids: [Int32] = [], weights: [Float] = []
        var seeded = 0
        for (k, list) in lists.enumerated() {
            if k < 2 || seeded + list.ids.count <= seedBudget {
                seeded += list.ids.count
                Self.mergeUnion(&ids, &weights, list.ids, list.weight)
            } else if ids.count > Self.candidateCap, list.ids.count <= commonCap {
                // Only needed to rank candidates when there are more than can be scored.
                Self.addShared(ids, &weights, list.ids, list.weight)
            }
        }
        var ranked = ids.indices.map { i in (ids[i], weights[i] / (queryNorm + textNorm[Int(ids[i])])) }
        if ranked.count > Self.candidateCap {
            Self.selectTop(&ranked, Self.candidateCap)
            ranked.removeLast(ranked.count - Self.candidateCap)
        }
        return ranked.map(\.0).sorted()
    }

    /// Adds the sorted `list` to the sorted `ids`, each with `weight`.
    private static func mergeUnion(_ ids: inout [Int32], _ weights: inout [Float], _ list: [Int32], _ weight: Float) {
        guard !ids.isEmpty else {
            ids = list
            weights = [Float](repeating: weight, count: list.count)
            return
        }
        var mergedIDs: [Int32] = [], mergedWeights: [Float] = []
        mergedIDs.reserveCapacity(ids.count + list.count)
        mergedWeights.reserveCapacity(ids.count + list.count)
        var i = 0, j = 0
        while i < ids.count || j < list.count {
            if j == list.count || (i < ids.count && ids[i] < list[j]) {
                mergedIDs.append(ids[i])
                mergedWeights.append(weights[i])
                i += 1
            } else if i == ids.count || list[j] < ids[i] {
                mergedIDs.append(list[j])
                mergedWeights.append(weight)
                j += 1
            } else {
                mergedIDs.append(ids[i])
                mergedWeights.append(weights[i] + weight)
                i += 1
                j += 1
            }
        }
        ids = mergedIDs
        weights = mergedWeights
    }

    /// Adds `weight` to the entries of the sorted `ids` that are also in the sorted `list`.
    private static func addShared(_ ids: [Int32], _ weights: inout [Float], _ list: [Int32], _ weight: Float) {
        list.withUnsafeBufferPointer { list in
            // Against a list much longer than the candidates, gallop rather than walk.
            let gallop = list.count > 4 * ids.count
            var j = 0
            for (i, id) in ids.enumerated() {
                guard gallop else {
                    while j < list.count, list[j] < id { j += 1 }
                    if j == list.count { return }
                    if list[j] == id { weights[i] += weight }
                    continue
                }
                var step = 1
                while j + step < list.count, list[j + step] < id {
                    j += step
                    step <<= 1
                }
                var hi = min(j + step, list.count)
                while j < hi {
                    let mid = (j + hi) / 2
                    if list[mid] < id { j = mid + 1 } else { hi = mid }
                }
                if j == list.count { return }
                if list[j] == id { weights[i] += weight }
            }
        }
    }

    /// Moves the `k` highest-ranked entries to the front (in no particular order): quickselect.
    private static func selectTop(_ a: inout [(Int32, Float)], _ k: Int) {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let pivot = a[(lo + hi) / 2].1
            var i = lo, j = hi
            while i <= j {
                while a[i].1 > pivot { i += 1 }
                while a[j].1 < pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k - 1 <= j { hi = j } else if k - 1 >= i { lo = i } else { return }
        }
    }

    typealias TextView = (body: UnsafeBufferPointer<UInt32>, grams: UnsafeBufferPointer<UInt64>, number: UInt64)

    /// How well a query text matches a place text, in `0...1`. `conflict`: their prefixes name different areas.
    static func similarity(query q: TextView, text t: TextView, conflict: Bool) -> Double {
        var s = bodySimilarity(q, t)
        switch (q.number != 0, t.number != 0) {
        case (true, true):
            // The same house number is strong evidence; a different one means a different building.
            s = q.number == t.number ? 0.85 * s + 0.15 : 0.5 * s
        case (true, false):
            // The place is coarser than the query (the whole road, a park): right area, less precise.
            s *= 0.85
        case (false, true):
            // The query names the street or place but not the building: any number on it fits, none exactly.
            s *= 0.9
        case (false, false):
            break
        }
        return conflict ? 0.5 * s : s
    }

    /// Similarity of the texts without prefix and house number: the best of gram Dice, containment and edit distance.
    static func bodySimilarity(_ q: TextView, _ t: TextView) -> Double {
        let a = q.body, b = t.body
        if a.elementsEqual(b) { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let common = commonCount(q.grams, t.grams)
        var best = 2 * Double(common) / Double(q.grams.count + t.grams.count)
        if b.count >= 2, b.count < a.count, contains(a, b) {
            // The query names this place in full, with more around it (a gate, "附近", a prefix we did not strip).
            best = max(best, 0.5 + 0.5 * Double(b.count) / Double(a.count))
        } else if a.count >= 2, a.count < b.count, contains(b, a) {
            // The query is a fragment of the place's name, e.g. `紫荆山` for `紫荆山公园`.
            best = max(best, 0.4 + 0.6 * Double(a.count) / Double(b.count))
        }
        // Each edit spoils at most five grams (two bigrams, three skip-bigrams), so texts sharing fewer
        // cannot be a typo apart and the costlier edit distance is skipped.
        let allowed = typoEdits(max(a.count, b.count))
        if best < 0.9, common >= max(q.grams.count, t.grams.count) - 5 * allowed {
            best = max(best, editSimilarity(a, b))
        }
        return best
    }

    /// How many edits count as a typo in a text this long: one per five characters, at least one.
    static func typoEdits(_ length: Int) -> Int { max(1, length / 5) }

    /// The number of grams two sorted gram lists share.
    static func commonCount(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Int {
        var i = 0, j = 0, common = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                common += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return common
    }

    static func contains(_ hay: UnsafeBufferPointer<UInt32>, _ needle: UnsafeBufferPointer<UInt32>) -> Bool {
        guard needle.count <= hay.count else { return false }
        outer: for start in 0...(hay.count - needle.count) {
            for k in 0..<needle.count where hay[start + k] != needle[k] { continue outer }
            return true
        }
        return false
    }

    /// `1 - distance / length` when the Levenshtein distance is a typo's worth (one edit per five characters,
    /// at least one), else 0: a larger distance between short names means different names.
    static func editSimilarity(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Double {
        let longest = max(a.count, b.count)
        guard longest >= 3 else { return 0 }
        let allowed = typoEdits(longest)
        guard abs(a.count - b.count) <= allowed else { return 0 }
        let d = levenshtein(a, b, atMost: allowed)
        return d <= allowed ? 1 - Double(d) / Double(longest) : 0
    }

    /// The Levenshtein distance of two non-empty strings, or some value above `limit` once it must exceed it.
    static func levenshtein(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>, atMost limit: Int) -> Int {
        let n = b.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (n + 1)) { buffer in
            var previous = UnsafeMutableBufferPointer(rebasing: buffer[0...n])
            var current = UnsafeMutableBufferPointer(rebasing: buffer[(n + 1)...])
            for j in 0...n { previous[j] = j }
            for i in 1...a.count {
                current[0] = i
                var rowMin = i
                for j in 1...n {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    rowMin = Swift.min(rowMin, current[j])
                }
                if rowMin > limit { return limit + 1 }
                swap(&previous, &current)
            }
            return previous[n]
        }
    }
}

/// One level of a leading administrative prefix, e.g. `郑州市` or `金水区`.
struct AdminSegment: Hashable, Sendable {
    /// 0 province, 1 city, 2 district or county; deeper levels count up from there.
    var level: Int
    var text: [UInt32]

    /// Whether two prefixes name different areas at the same level (`金水区` vs `二七区`). `郑州金水区`
    /// and `金水区` agree: one ends with the other.
    static func conflict(_ a: [AdminSegment], _ b: [AdminSegment]) -> Bool {
        guard !a.isEmpty, !b.isEmpty else { return false }
        for x in a {
            for y in b where x.level == y.level {
                if !(x.text.hasSuffix(y.text) || y.text.hasSuffix(x.text)) { return true }
            }
        }
        return false
    }
}

extension Array where Element == UInt32 {
    fileprivate func hasSuffix(_ s: [UInt32]) -> Bool {
        s.count <= count && self[(count - s.count)...].elementsEqual(s)
    }
}

/// A name or address taken apart for matching.
struct PreparedText: Hashable, Sendable {
    /// The leading administrative prefix that was split off, outermost first.
    var admin: [AdminSegment]
    /// The normalised text after the prefix, without the house number.
    var body: [UInt32]
    /// The house number as a key (see `TextNormalizer.numberKey`), 0 when there is none.
    var number: UInt64
    /// Sorted distinct bigrams and skip-bigrams of `body` (its single character when it has only one).
    var grams: [UInt64]
    /// The same text with the prefix left in, when one was split off.
    private var unstrippedBody: [UInt32]?

    init(_ text: String) {
        let normalized = TextNormalizer.normalize(text)
        let (admin, rest) = TextNormalizer.splitAdmin(normalized)
        let (body, number) = TextNormalizer.splitNumber(Array(rest))
        self.admin = admin
        self.body = body
        self.number = number
        self.grams = TextNormalizer.grams(body)
        if !admin.isEmpty { unstrippedBody = TextNormalizer.splitNumber(normalized).body }
    }

    private init(admin: [AdminSegment], body: [UInt32], number: UInt64) {
        self.admin = admin
        self.body = body
        self.number = number
        self.grams = TextNormalizer.grams(body)
    }

    var isEmpty: Bool { body.isEmpty && number == 0 }

    /// The text with its prefix kept in the body (the prefix still counts for conflicts), when one was split off.
    var unstripped: PreparedText? {
        unstrippedBody.map { PreparedText(admin: admin, body: $0, number: number) }
    }

    /// Calls `body` with a view of this text's body, grams and number.
    func withView<R>(_ body: (PlaceIndex.TextView) -> R) -> R {
        self.body.withUnsafeBufferPointer { b in grams.withUnsafeBufferPointer { g in body((b, g, number)) } }
    }

    /// The grams under which the text is indexed: its body grams and its house number (tag 3).
    var indexGrams: [UInt64] {
        number == 0 ? grams : grams + [3 << 62 | (number & (1 << 62 - 1))]
    }
}

/// Text normalisation for Chinese place names and addresses, on Unicode scalar values.
enum TextNormalizer {
    static let hao = ("号" as Unicode.Scalar).value
    static let dash: UInt32 = 0x2D

    static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

    /// Half-width, lower-case, no whitespace, punctuation or symbols; Chinese-numeral house numbers in digits;
    /// a bare number after a road (`文化路12`) gets its `号`.
    static func normalize(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            var v = scalar.value
            if v >= 0xFF01, v <= 0xFF5E { v -= 0xFEE0 }
            // Fast paths: ASCII and CJK ideographs are nearly all of a place table.
            if v < 0x80 {
                switch v {
                case 0x30...0x39, 0x61...0x7A: out.append(v)
                case 0x41...0x5A: out.append(v + 0x20)
                case dash: out.append(dash)
                default: break
                }
                continue
            }
            if v >= 0x3400, v <= 0x9FFF {
                out.append(traditional[v] ?? v)
                continue
            }
            switch v {
            case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63:
                // Kept for now: between digits a dash is part of a house number (`12-1号`).
                out.append(dash)
                continue
            default:
                break
            }
            guard let u = Unicode.Scalar(v) else { continue }
            if u.properties.isWhitespace { continue }
            switch u.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
                .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator:
                continue
            default:
                out.append(v)
            }
        }
        var cleaned: [UInt32] = []
        cleaned.reserveCapacity(out.count)
        for (i, v) in out.enumerated() {
            if v == dash, !(i > 0 && isDigit(out[i - 1]) && i + 1 < out.count && isDigit(out[i + 1])) { continue }
            cleaned.append(v)
        }
        var result = convertNumerals(cleaned)
        addImpliedHao(&result)
        return result
    }

    /// Traditional forms common in place names, folded to simplified.
    static let traditional: [UInt32: UInt32] = {
        let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [
            ("號", "号"), ("區", "区"), ("縣", "县"), ("鎮", "镇"), ("門", "门"), ("廣", "广"), ("場", "场"),
            ("園", "园"), ("東", "东"), ("鄭", "郑"), ("華", "华"), ("國", "国"), ("鄉", "乡"), ("莊", "庄"),
            ("劉", "刘"), ("橋", "桥"), ("灣", "湾"), ("樓", "楼"), ("雲", "云"), ("陽", "阳"), ("濟", "济"),
            ("條", "条"), ("衛", "卫"), ("醫", "医"), ("學", "学"), ("廠", "厂"), ("環", "环"), ("兩", "两"),
        ]
        var map: [UInt32: UInt32] = [:]
        for (t, s) in pairs { map[t.value] = s.value }
        return map
    }()

    /// The value of a Chinese numeral digit: 〇零一二两三四五六七八九.
    static func numeralDigit(_ v: UInt32) -> Int? {
        guard v >= 0x3007, let scalar = Unicode.Scalar(v) else { return nil }
        switch scalar {
        case "〇", "零": return 0
        case "一": return 1
        case "二", "两": return 2
        case "三": return 3
        case "四": return 4
        case "五": return 5
        case "六": return 6
        case "七": return 7
        case "八": return 8
        case "九": return 9
        default: return nil
        }
    }

    /// The value of a Chinese numeral unit: 十百千.
    static func numeralUnit(_ v: UInt32) -> Int? {
        guard v >= 0x3007, let scalar = Unicode.Scalar(v) else { return nil }
        switch scalar {
        case "十": return 10
        case "百": return 100
        case "千": return 1_000
        default: return nil
        }
    }

    static func isNumeral(_ v: UInt32) -> Bool { numeralDigit(v) != nil || numeralUnit(v) != nil }

    /// Rewrites a run of Chinese numerals directly followed by `号` in digits: `一百二十三号` → `123号`,
    /// `一〇八号` → `108号`. Runs not followed by `号` (`二七广场`, `经三路`) are names and stay.
    static func convertNumerals(_ s: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            guard isNumeral(s[i]) else {
                out.append(s[i])
                i += 1
                continue
            }
            var j = i
            while j < s.count, isNumeral(s[j]) { j += 1 }
            let run = s[i..<j]
            if j < s.count, s[j] == hao, let value = numeralValue(run) {
                out.append(contentsOf: value.unicodeScalars.map(\.value))
            } else {
                out.append(contentsOf: run)
            }
            i = j
        }
        return out
    }

    /// The digits for a run of Chinese numerals: positional when it has 十/百/千, else digit by digit.
    static func numeralValue(_ run: ArraySlice<UInt32>) -> String? {
        if run.contains(where: { numeralUnit($0) != nil }) {
            var total = 0, current = 0
            for v in run {
                if let d = numeralDigit(v) {
                    current = d
                } else if let unit = numeralUnit(v) {
                    total += (current == 0 ? 1 : current) * unit
                    current = 0
                }
            }
            total += current
            return total > 0 ? String(total) : nil
        }
        return run.map { String(numeralDigit($0) ?? 0) }.joined()
    }

    static let roadEnds: Set<UInt32> = Set("路街道巷弄里".unicodeScalars.map(\.value))

    static func addImpliedHao(_ s: inout [UInt32]) {
        var i = s.count
        while i > 0, isDigit(s[i - 1]) || s[i - 1] == dash { i -= 1 }
        if i < s.count, i > 0, roadEnds.contains(s[i - 1]) { s.append(hao) }
    }

    /// Splits off the first house number (digits, possibly with `-`, followed by `号`) as a key.
    static func splitNumber(_ s: [UInt32]) -> (body: [UInt32], number: UInt64) {
        var i = 0
        while i < s.count {
            guard isDigit(s[i]) else {
                i += 1
                continue
            }
            var j = i
            while j < s.count, isDigit(s[j]) || s[j] == dash { j += 1 }
            if j < s.count, s[j] == hao {
                return (Array(s[..<i]) + s[(j + 1)...], numberKey(s[i..<j]))
            }
            i = j
        }
        return (s, 0)
    }

    /// A house number as a nonzero key: four bits a character (digit + 1, dash 11), exact up to 15
    /// characters; longer ones are hashed (FNV-1a) with the top bit set.
    static func numberKey(_ digits: ArraySlice<UInt32>) -> UInt64 {
        if digits.count <= 15 {
            return digits.reduce(0) { $0 << 4 | ($1 == dash ? 11 : UInt64($1 - 0x30) + 1) }
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in digits { h = (h ^ UInt64(v)) &* 0x100_0000_01b3 }
        return h | 1 << 63
    }

    static let province = ("省" as Unicode.Scalar).value
    static let city = ("市" as Unicode.Scalar).value
    static let prefecture = ("州" as Unicode.Scalar).value
    static let district = ("区" as Unicode.Scalar).value
    static let county = ("县" as Unicode.Scalar).value
    static let zhi = ("治" as Unicode.Scalar).value
    static let country: [[UInt32]] = ["中华人民共和国", "中国"].map { $0.unicodeScalars.map(\.value) }
    /// Characters before `市` that make it a word rather than a city: 超市, 城市, 夜市 ….
    static let wordsEndingInShi: Set<UInt32> = Set("超城门夜集早股上都".unicodeScalars.map(\.value))
    /// Characters after `市` that make it a word rather than a city: 市场, 市政, 市民 ….
    static let wordsStartingWithShi: Set<UInt32> = Set("场政民".unicodeScalars.map(\.value))
    /// Characters before `区` that make it a word rather than a district: 小区, 社区, 园区, 校区, 景区 ….
    static let wordsEndingInQu: Set<UInt32> = Set("小社园校景厂片营商住宿办生居库矿院游展服车专验".unicodeScalars.map(\.value))

    /// Splits a leading `省/自治区`, `市/州` and `区/县/市` prefix (each optional, at most four levels, each
    /// two to eight characters without digits) off the text; at least two characters must remain.
    static func splitAdmin(_ s: [UInt32]) -> ([AdminSegment], ArraySlice<UInt32>) {
        var start = 0
        for c in country where s.starts(with: c) {
            start = c.count
            break
        }
        var segments: [AdminSegment] = []
        // A segment with a digit is an address running into a name (`纬五路7号河南省人民医院`), not a prefix.
        while segments.count < 4, let end = adminEnd(s, from: start), !s[start...end].contains(where: isDigit) {
            let v = s[end]
            var level: Int
            switch v {
            case province: level = 0
            case city, prefecture: level = 1
            default: level = (segments.isEmpty && end >= 2 && s[end - 1] == zhi) ? 0 : 2
            }
            let text = Array(s[start...end])
            start = end + 1
            // `郑州市郑州市` happens in typed addresses: the repeat is not a new level.
            if let last = segments.last {
                if last.text == text { continue }
                level = max(level, last.level + 1)
            }
            segments.append(AdminSegment(level: level, text: text))
        }
        return segments.isEmpty ? ([], s[...]) : (segments, s[start...])
    }

    static func adminEnd(_ s: [UInt32], from start: Int) -> Int? {
        let last = min(start + 7, s.count - 3)
        guard start + 1 <= last else { return nil }
        for j in (start + 1)...last {
            let previous = s[j - 1], next = s[j + 1]
            switch s[j] {
            case province, county:
                return j
            case city where !wordsEndingInShi.contains(previous) && !wordsStartingWithShi.contains(next):
                return j
            case prefecture where previous == zhi:
                return j
            case district where !wordsEndingInQu.contains(previous):
                return j
            default:
                continue
            }
        }
        return nil
    }

    /// Bigrams (tag 1) and skip-bigrams (tag 2, so one wrong middle character still shares a gram), sorted
    /// and distinct; a single character is its own gram (tag 0).
    static func grams(_ s: [UInt32]) -> [UInt64] {
        if s.count == 1 { return [UInt64(s[0])] }
        var g: [UInt64] = []
        g.reserveCapacity(max(0, 2 * s.count - 3))
        for i in 0..<max(0, s.count - 1) { g.append(1 << 62 | UInt64(s[i]) << 21 | UInt64(s[i + 1])) }
        for i in 0..<max(0, s.count - 2) { g.append(2 << 62 | UInt64(s[i]) << 21 | UInt64(s[i + 2])) }
        g.sort()
        var out: [UInt64] = []
        out.reserveCapacity(g.count)
        for x in g where out.last != x { out.append(x) }
        return out
    }
}
