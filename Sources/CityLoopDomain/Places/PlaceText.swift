import Foundation

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
