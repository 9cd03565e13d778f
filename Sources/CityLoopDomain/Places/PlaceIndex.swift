import Foundation

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
